package com.iotorq.lean.gateway.web;

import java.util.concurrent.RejectedExecutionException;

import io.netty.channel.Channel;
import reactor.netty.ConnectionObserver;
import reactor.netty.channel.ChannelOperations;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.websocket.WebsocketInbound;

import org.springframework.boot.reactor.netty.NettyServerCustomizer;

/**
 * Makes a kept-alive HTTP/1.1 connection read its next request once a request is done.
 * <p>
 * Reactor Netty reads such a connection on demand only. A request that arrives before the
 * previous exchange has ended is queued; when it is taken from the queue and answered at
 * once, Reactor Netty asks for no further read, and the client's next request on that
 * connection is never read (reactor-netty 1.3.6, reactor/reactor-netty#4361): an ingress
 * waits its whole timeout. Exchanges end on their connection's event loop
 * ({@link ConnectionEventLoop}), which makes a queued request rare but not impossible (a
 * response whose last bytes are written before its exchange ends, e.g. a backend's answer
 * with a Content-Length). So whenever a request is done and no other is in progress, this
 * asks for the read (asking again while one is pending changes nothing).
 */
final class KeepAliveReadGuard implements NettyServerCustomizer {

	@Override
	public HttpServer apply(HttpServer server) {
		return server.childObserve((connection, state) -> {
			if (state == ConnectionObserver.State.DISCONNECTING && connection instanceof HttpServerRequest request
					&& request.version().majorVersion() == 1 && !(connection instanceof WebsocketInbound)) {
				Channel channel = connection.channel();
				try {
					// a task of its own: after Reactor Netty's own follow-up of the
					// request that ended
					channel.eventLoop().execute(() -> readIfIdle(channel));
				}
				catch (RejectedExecutionException ex) {
					// the server is shutting down: nothing to read any more
				}
			}
		});
	}

	private static void readIfIdle(Channel channel) {
		if (channel.isActive() && !channel.config().isAutoRead() && ChannelOperations.get(channel) == null) {
			channel.read();
		}
	}

}
