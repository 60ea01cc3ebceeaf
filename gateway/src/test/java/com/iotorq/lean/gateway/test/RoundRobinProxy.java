package com.iotorq.lean.gateway.test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.resources.LoopResources;

/**
 * A load balancer in front of gateway instances, as an ingress would be: each request
 * goes to the next instance in turn, on a new connection; when an instance refuses the
 * connection or drops it before answering, an idempotent request is tried on the next one
 * (nginx's {@code proxy_next_upstream error}). Counts the answers of each instance.
 */
public final class RoundRobinProxy implements AutoCloseable {

	private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "transfer-encoding",
			"content-length", "upgrade");

	private final LoopResources loops = LoopResources.create("round-robin-proxy", 2, true);

	private final List<Integer> upstreams;

	private final AtomicLong next = new AtomicLong();

	private final Map<Integer, AtomicInteger> answered = new ConcurrentHashMap<>();

	private final AtomicInteger retries = new AtomicInteger();

	private final HttpClient client = HttpClient.newConnection()
		.runOn(this.loops)
		.host("127.0.0.1")
		.responseTimeout(Duration.ofSeconds(30));

	private final DisposableServer server;

	public RoundRobinProxy(List<Integer> upstreamPorts) {
		this.upstreams = List.copyOf(upstreamPorts);
		this.server = HttpServer.create().runOn(this.loops).host("127.0.0.1").port(0).handle(this::forward).bindNow();
	}

	public int port() {
		return this.server.port();
	}

	/** How many requests the instance on {@code port} answered. */
	public int answeredBy(int port) {
		AtomicInteger count = this.answered.get(port);
		return (count != null) ? count.get() : 0;
	}

	/** How many times a request was tried again on another instance. */
	public int retries() {
		return this.retries.get();
	}

	private Mono<Void> forward(HttpServerRequest request, HttpServerResponse response) {
		return request.receive()
			.aggregate()
			.asByteArray()
			.defaultIfEmpty(new byte[0])
			.flatMap(body -> attempt(request, body,
					(int) Math.floorMod(this.next.getAndIncrement(), (long) this.upstreams.size()), 0))
			.flatMap(answer -> {
				response.status(answer.status());
				answer.headers().forEach(header -> {
					if (!HOP_BY_HOP.contains(header.getKey().toLowerCase(java.util.Locale.ROOT))) {
						response.addHeader(header.getKey(), header.getValue());
					}
				});
				return response.sendByteArray(Mono.just(answer.body())).then();
			})
			.onErrorResume(ex -> response.status(502).sendString(Mono.just("no instance answered: " + ex)).then());
	}

	/**
	 * Tries the instances in turn from {@code first}, each at most twice, like nginx's
	 * next upstream.
	 */
	private Mono<Answer> attempt(HttpServerRequest request, byte[] body, int first, int tries) {
		int port = this.upstreams.get((first + tries) % this.upstreams.size());
		HttpHeaders headers = new DefaultHttpHeaders().set(request.requestHeaders());
		headers.remove(HttpHeaderNames.CONNECTION);
		return this.client.port(port)
			.headers(h -> h.set(headers))
			.request(request.method())
			.uri(request.uri())
			.send(Mono.just(Unpooled.wrappedBuffer(body)))
			.responseSingle((head, content) -> content.asByteArray()
				.defaultIfEmpty(new byte[0])
				.map(bytes -> new Answer(head.status().code(), head.responseHeaders().copy(), bytes)))
			.doOnNext(answer -> this.answered.computeIfAbsent(port, p -> new AtomicInteger()).incrementAndGet())
			.onErrorResume(ex -> {
				boolean idempotent = request.method().equals(HttpMethod.GET)
						|| request.method().equals(HttpMethod.HEAD);
				if (idempotent && tries + 1 < 2 * this.upstreams.size()) {
					this.retries.incrementAndGet();
					return attempt(request, body, first, tries + 1);
				}
				return Mono.error(ex);
			});
	}

	@Override
	public void close() {
		this.server.disposeNow();
		this.loops.dispose();
	}

	private record Answer(int status, HttpHeaders headers, byte[] body) {
	}

}
