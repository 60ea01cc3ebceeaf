package com.iotorq.lean.gateway.web;

import org.springframework.boot.actuate.autoconfigure.web.ManagementContextConfiguration;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextType;
import org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;

/**
 * Gives the management server the guards of the public one that every port needs. Spring
 * Boot builds the management server in a child context from a bare
 * {@link NettyReactiveWebServerFactory}, which the application's
 * {@code NettyServerCustomizer} beans never reach: without this, a kept-alive connection
 * to the management port (a scraper, a probe, the admin API's client) stopped being read
 * after a 401 that followed the metrics page (reactor-netty 1.3.6,
 * reactor/reactor-netty#4361). Registered in
 * {@code META-INF/spring/...ManagementContextConfiguration.imports}.
 */
@ManagementContextConfiguration(value = ManagementContextType.CHILD, proxyBeanMethods = false)
final class ManagementWebConfiguration {

	@Bean
	WebServerFactoryCustomizer<NettyReactiveWebServerFactory> managementKeepAliveReadGuard() {
		return (factory) -> factory.addServerCustomizers(new KeepAliveReadGuard());
	}

}
