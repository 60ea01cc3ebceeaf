package com.iotorq.lean.gateway.web;

import reactor.netty.http.server.HttpServer;

import org.springframework.boot.reactor.netty.NettyServerCustomizer;

/**
 * Applies {@link ClientTimeoutProperties} to the public server: the request head deadline
 * ({@link RequestHeadTimeout}) and Reactor Netty's request body timeouts.
 */
final class SlowClientGuard implements NettyServerCustomizer {

	private final ClientTimeoutProperties properties;

	SlowClientGuard(ClientTimeoutProperties properties) {
		this.properties = properties;
	}

	@Override
	public HttpServer apply(HttpServer server) {
		return server.readTimeout(this.properties.bodyReadTimeout())
			.requestTimeout(this.properties.bodyTimeout())
			.doOnChannelInit((observer, channel, remote) -> RequestHeadTimeout.install(channel.pipeline(),
					this.properties.requestHeadTimeout()));
	}

}
