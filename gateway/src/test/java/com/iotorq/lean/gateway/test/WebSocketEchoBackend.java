package com.iotorq.lean.gateway.test;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.netty.handler.codec.http.HttpHeaderNames;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.resources.LoopResources;
import tools.jackson.databind.json.JsonMapper;

/**
 * A real WebSocket backend: on each upgrade it first sends the upgrade request's headers
 * as a JSON object, then echoes every text message as {@code echo:<message>}. Plain HTTP
 * requests get 404.
 */
public final class WebSocketEchoBackend implements AutoCloseable {

	private static final JsonMapper json = JsonMapper.builder().build();

	private final LoopResources loops = LoopResources.create("ws-echo-backend", 1, true);

	private final List<Map<String, List<String>>> upgrades = new CopyOnWriteArrayList<>();

	private final DisposableServer server;

	private WebSocketEchoBackend() {
		this.server = HttpServer.create().runOn(this.loops).host("127.0.0.1").port(0).handle((request, response) -> {
			if (!"websocket".equalsIgnoreCase(request.requestHeaders().get(HttpHeaderNames.UPGRADE))) {
				return response.status(404).send();
			}
			Map<String, List<String>> headers = new LinkedHashMap<>();
			request.requestHeaders()
				.forEach(h -> headers.computeIfAbsent(h.getKey(), k -> new ArrayList<>()).add(h.getValue()));
			this.upgrades.add(headers);
			String hello = json.writeValueAsString(headers);
			return response.sendWebsocket((in, out) -> out
				.sendString(Flux.concat(Mono.just(hello), in.receive().asString().map(message -> "echo:" + message))));
		}).bindNow();
	}

	public static WebSocketEchoBackend start() {
		return new WebSocketEchoBackend();
	}

	public URI uri() {
		return URI.create("http://127.0.0.1:" + this.server.port());
	}

	/** The headers of every upgrade request received, oldest first. */
	public List<Map<String, List<String>>> upgrades() {
		return this.upgrades;
	}

	@Override
	public void close() {
		this.server.disposeNow();
		this.loops.dispose();
	}

}
