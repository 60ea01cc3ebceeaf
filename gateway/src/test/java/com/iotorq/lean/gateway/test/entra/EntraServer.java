package com.iotorq.lean.gateway.test.entra;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.QueryStringDecoder;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.resources.LoopResources;

/**
 * The Reactor Netty server on 127.0.0.1: reads each request whole, records it, waits the
 * configured delay ({@link Mono#delay}, never blocking an event loop), asks the handler
 * for a {@link Reply} and sends it. A handler failure becomes a 500 with the exception
 * message.
 */
final class EntraServer implements AutoCloseable {

	private final Function<TestEntra.Recorded, Reply> handler;

	private final Consumer<TestEntra.Recorded> recorder;

	private final Function<TestEntra.Recorded, Duration> delay;

	private final DisposableServer server;

	private final LoopResources loops;

	private EntraServer(int port, Function<TestEntra.Recorded, Reply> handler, Consumer<TestEntra.Recorded> recorder,
			Function<TestEntra.Recorded, Duration> delay) {
		this.handler = handler;
		this.recorder = recorder;
		this.delay = delay;
		// its own event loops: a gateway context closing disposes Reactor Netty's global
		// ones
		this.loops = LoopResources.create("test-entra", 1, true);
		this.server = HttpServer.create().runOn(this.loops).host("127.0.0.1").port(port).handle(this::handle).bindNow();
	}

	static EntraServer start(int port, Function<TestEntra.Recorded, Reply> handler,
			Consumer<TestEntra.Recorded> recorder, Function<TestEntra.Recorded, Duration> delay) {
		return new EntraServer(port, handler, recorder, delay);
	}

	int port() {
		return this.server.port();
	}

	@Override
	public void close() {
		this.server.disposeNow();
		this.loops.dispose();
	}

	private Mono<Void> handle(HttpServerRequest request, HttpServerResponse response) {
		return request.receive()
			.aggregate()
			.asString(StandardCharsets.UTF_8)
			.defaultIfEmpty("")
			.map(body -> record(request, body))
			.doOnNext(this.recorder)
			.flatMap(recorded -> delayed(recorded).then(Mono.fromCallable(() -> this.handler.apply(recorded))))
			.onErrorResume(EntraServer::failure)
			.flatMap(reply -> send(response, reply));
	}

	private Mono<Long> delayed(TestEntra.Recorded recorded) {
		Duration wait = this.delay.apply(recorded);
		return (wait.isZero() || wait.isNegative()) ? Mono.empty() : Mono.delay(wait);
	}

	private static Mono<Reply> failure(Throwable ex) {
		ex.printStackTrace();
		return Mono.just(new Reply(500, Map.of("Content-Type", "text/plain; charset=utf-8"),
				("TestEntra failed: " + ex).getBytes(StandardCharsets.UTF_8)));
	}

	private static Mono<Void> send(HttpServerResponse response, Reply reply) {
		response.status(reply.status());
		reply.headers().forEach(response::header);
		response.header(HttpHeaderNames.CONTENT_LENGTH, String.valueOf(reply.body().length));
		return response.sendByteArray(Mono.just(reply.body())).then();
	}

	private static TestEntra.Recorded record(HttpServerRequest request, String body) {
		QueryStringDecoder uri = new QueryStringDecoder(request.uri());
		String contentType = request.requestHeaders().get(HttpHeaderNames.CONTENT_TYPE, "");
		Map<String, List<String>> form = contentType.startsWith("application/x-www-form-urlencoded")
				? frozen(new QueryStringDecoder(body, StandardCharsets.UTF_8, false).parameters()) : Map.of();
		return new TestEntra.Recorded(Instant.now(), request.method().name(), uri.path(), frozen(uri.parameters()),
				form, headers(request));
	}

	private static Map<String, List<String>> headers(HttpServerRequest request) {
		Map<String, List<String>> headers = new LinkedHashMap<>();
		request.requestHeaders()
			.forEach(h -> headers.computeIfAbsent(h.getKey(), k -> new ArrayList<>()).add(h.getValue()));
		return frozen(headers);
	}

	private static Map<String, List<String>> frozen(Map<String, List<String>> values) {
		Map<String, List<String>> copy = new LinkedHashMap<>();
		values.forEach((name, list) -> copy.put(name, List.copyOf(list)));
		return Collections.unmodifiableMap(copy);
	}

}
