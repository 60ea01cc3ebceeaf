package com.iotorq.lean.gateway.web;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.netty.handler.codec.http.HttpHeaderNames;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.resources.LoopResources;

import com.iotorq.lean.gateway.test.KeptAliveConnection;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reactor Netty alone with the guard: an exchange that ends after its client already has
 * the whole answer, followed on the same connection by requests answered at once. Without
 * the guard, the second of those is never read (reactor-netty 1.3.6).
 */
class KeepAliveReadGuardTests {

	private final LoopResources loops = LoopResources.create("read-guard-test", 1, true);

	private DisposableServer server;

	@AfterEach
	void stop() {
		this.server.disposeNow();
		this.loops.dispose();
	}

	@Test
	void requestAfterOneQueuedWhenAnsweredAtOnceThenTheNextIsReadToo() {
		this.server = new KeepAliveReadGuard().apply(server()).bindNow();
		assertThat(statuses(5)).containsOnly(200);
	}

	private HttpServer server() {
		return HttpServer.create().runOn(this.loops).host("127.0.0.1").port(0).handle((request, response) -> {
			byte[] body = request.uri().getBytes(StandardCharsets.US_ASCII);
			if (request.uri().startsWith("/ends-later")) {
				// the whole body, announced by its Content-Length, is out; the exchange
				// ends later, as a
				// proxied backend answer can: the client's next request arrives before
				// and is queued
				return response.header(HttpHeaderNames.CONTENT_LENGTH, Integer.toString(body.length))
					.sendByteArray(Flux.just(body).concatWith(Mono.delay(Duration.ofMillis(100)).then(Mono.empty())))
					.then();
			}
			return response.sendByteArray(Mono.just(body)).then();
		});
	}

	private List<Integer> statuses(int rounds) {
		List<Integer> statuses = new ArrayList<>();
		try (KeptAliveConnection connection = new KeptAliveConnection(this.server.port(), Duration.ofSeconds(2))) {
			for (int i = 0; i < rounds; i++) {
				for (String path : List.of("/ends-later", "/at-once", "/at-once")) {
					int status = connection.get("localhost", path);
					statuses.add(status);
					if (status < 0) {
						return statuses; // not answered: the connection is of no further
											// use
					}
				}
			}
		}
		return statuses;
	}

}
