package com.iotorq.lean.gateway.test;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.LongPredicate;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.LoopResources;

/**
 * Anonymous requests to one organisation from one client, each on a connection of its own
 * (as from many browser tabs), 64 at a time: the statuses, in the order they were
 * answered.
 */
public final class Flood {

	private Flood() {
	}

	/**
	 * @param clientAddress the client named by the trusted proxy in
	 * {@code X-Forwarded-For}, or {@code null} for the connection's own address
	 * @param requests one element a request (its number goes into the path)
	 * @param madeUpCookie which requests carry a session cookie nobody signed in with
	 */
	public static List<Integer> send(int port, String host, @Nullable String clientAddress, Flux<Long> requests,
			LongPredicate madeUpCookie) {
		LoopResources loops = LoopResources.create("flood", 2, true);
		try {
			HttpClient client = HttpClient.newConnection()
				.runOn(loops)
				.responseTimeout(Duration.ofSeconds(30))
				.host("127.0.0.1")
				.port(port)
				.headers(headers -> {
					headers.set("Host", host).set("Accept", "application/json");
					if (clientAddress != null) {
						headers.set("X-Forwarded-For", clientAddress);
					}
				});
			return requests.onBackpressureBuffer().flatMap(i -> client.headers(headers -> {
				if (madeUpCookie.test(i)) {
					headers.set("Cookie", "LEAN_SESSION=" + UUID.randomUUID());
				}
			})
				.get()
				.uri("/flood/" + i)
				.responseSingle((response, body) -> body.then(Mono.just(response.status().code()))), 64)
				.collectList()
				.block(Duration.ofSeconds(180));
		}
		finally {
			loops.disposeLater().block(Duration.ofSeconds(10));
		}
	}

}
