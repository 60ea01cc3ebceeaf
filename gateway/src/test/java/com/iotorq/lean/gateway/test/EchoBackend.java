package com.iotorq.lean.gateway.test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.QueryStringDecoder;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.resources.LoopResources;
import tools.jackson.databind.json.JsonMapper;

/**
 * A real HTTP backend for tests: answers every request with JSON describing what it
 * received (method, path, headers), and remembers each request for assertions.
 * {@code /slow?ms=N} answers after N milliseconds; each {@code set-cookie=V} in the query
 * adds a {@code Set-Cookie: V} to the answer.
 */
public final class EchoBackend implements AutoCloseable {

	private static final JsonMapper json = JsonMapper.builder().build();

	private final DisposableServer server;

	private final LoopResources loops;

	private final List<Received> received = new CopyOnWriteArrayList<>();

	private EchoBackend() {
		// its own event loops: a gateway context closing disposes Reactor Netty's global
		// ones
		this.loops = LoopResources.create("echo-backend", 1, true);
		this.server = HttpServer.create().runOn(this.loops).host("127.0.0.1").port(0).handle((request, response) -> {
			Map<String, List<String>> headers = new LinkedHashMap<>();
			request.requestHeaders()
				.forEach(h -> headers.computeIfAbsent(h.getKey(), k -> new ArrayList<>()).add(h.getValue()));
			QueryStringDecoder query = new QueryStringDecoder(request.uri());
			Received echo = new Received(request.method().name(), query.path(), request.uri(), headers);
			this.received.add(echo);
			long delay = query.parameters().containsKey("ms") ? Long.parseLong(query.parameters().get("ms").get(0)) : 0;
			byte[] body = json.writeValueAsBytes(echo);
			query.parameters()
				.getOrDefault("set-cookie", List.of())
				.forEach(cookie -> response.addHeader(HttpHeaderNames.SET_COOKIE, cookie));
			return Mono.delay(Duration.ofMillis(delay))
				.then(response.header(HttpHeaderNames.CONTENT_TYPE, "application/json")
					.sendByteArray(Mono.just(body))
					.then());
		}).bindNow();
	}

	public static EchoBackend start() {
		return new EchoBackend();
	}

	public URI uri() {
		return URI.create("http://127.0.0.1:" + this.server.port());
	}

	public List<Received> received() {
		return this.received;
	}

	public Received last() {
		if (this.received.isEmpty()) {
			throw new AssertionError("the echo backend received no request");
		}
		return this.received.get(this.received.size() - 1);
	}

	public void clear() {
		this.received.clear();
	}

	@Override
	public void close() {
		this.server.disposeNow();
		this.loops.dispose();
	}

	/**
	 * What the backend received.
	 *
	 * @param method the HTTP method
	 * @param path the path
	 * @param uri path and query as sent
	 * @param headers every header, by name as sent
	 */
	public record Received(String method, String path, String uri, Map<String, List<String>> headers) {

		/** The values of a header, whatever the case of its name. */
		public List<String> header(String name) {
			List<String> values = new ArrayList<>();
			this.headers.forEach((key, value) -> {
				if (key.equalsIgnoreCase(name)) {
					values.addAll(value);
				}
			});
			return values;
		}

		public String body() {
			return new String(json.writeValueAsBytes(this), StandardCharsets.UTF_8);
		}

	}

}
