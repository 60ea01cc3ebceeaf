package com.iotorq.lean.gateway.web;

import java.util.regex.Pattern;

import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.server.reactive.HttpHandlerDecoratorFactory;
import org.springframework.web.server.adapter.ForwardedHeaderTransformer;
import org.springframework.web.server.adapter.WebHttpHandlerBuilder;

import com.iotorq.lean.gateway.config.GatewayProperties;

@Configuration(proxyBeanMethods = false)
class WebConfiguration {

	/**
	 * Found by name by {@link WebHttpHandlerBuilder}, for the public and the management
	 * port.
	 */
	@Bean(WebHttpHandlerBuilder.FORWARDED_HEADER_TRANSFORMER_BEAN_NAME)
	ForwardedHeaderTransformer forwardedHeaderTransformer(GatewayProperties properties) {
		String trustedProxies = properties.trustedProxies();
		// an empty pattern matches no peer: nothing is trusted unless configured
		Pattern pattern = trustedProxies.isBlank() ? Pattern.compile("(?!)") : Pattern.compile(trustedProxies);
		return new TrustedProxyForwardedHeaderTransformer(pattern);
	}

	/**
	 * Found by type by {@link WebHttpHandlerBuilder}: every exchange ends on its
	 * connection's event loop.
	 */
	@Bean
	HttpHandlerDecoratorFactory connectionEventLoop() {
		return new ConnectionEventLoop();
	}

	/**
	 * Every request on a kept-alive connection is read, whatever the one before it was.
	 */
	@Bean
	NettyServerCustomizer keepAliveReadGuard() {
		return new KeepAliveReadGuard();
	}

	/** Slow clients of the public port are cut off (lean.server.*). */
	@Bean
	NettyServerCustomizer slowClientGuard(ClientTimeoutProperties properties) {
		return new SlowClientGuard(properties);
	}

}
