package com.iotorq.lean.gateway.web;

import io.netty.channel.EventLoop;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;

import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.http.server.reactive.HttpHandlerDecoratorFactory;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;

/**
 * Hands the end of every exchange (its completion or its error) to Reactor Netty on the
 * event loop of the exchange's own connection, wherever the last step of the exchange
 * answered: a database lookup ends on an R2DBC driver thread, a Redis command on
 * Lettuce's, a call to an identity provider on a client connection's loop.
 * <p>
 * Reactor Netty finishes a response when the exchange ends: it writes what is left and
 * then frees the connection for its next request. When that happened on another thread,
 * the write ran on the connection's loop at once but the freeing only later, as a task of
 * its own; a kept-alive client that already had the whole answer could send its next
 * request in between, Reactor Netty queued it as pipelined, and a queued request answered
 * at once then left the connection never read again (reactor-netty 1.3.6,
 * reactor/reactor-netty#4361). On the connection's own loop both happen in one go, before
 * the next request can be read.
 */
final class ConnectionEventLoop implements HttpHandlerDecoratorFactory {

	@Override
	public HttpHandler apply(HttpHandler handler) {
		return (request, response) -> {
			Mono<Void> exchange = handler.handle(request, response);
			EventLoop loop = eventLoopOf(request);
			return (loop != null) ? CallerEventLoop.resumeOn(exchange, loop) : exchange;
		};
	}

	private static @Nullable EventLoop eventLoopOf(ServerHttpRequest request) {
		Object nativeRequest = ServerHttpRequestDecorator.getNativeRequest(request);
		return (nativeRequest instanceof Connection connection) ? connection.channel().eventLoop() : null;
	}

}
