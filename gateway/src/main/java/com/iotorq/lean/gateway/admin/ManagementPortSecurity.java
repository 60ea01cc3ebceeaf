package com.iotorq.lean.gateway.admin;

import java.util.List;

import reactor.core.publisher.Mono;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.security.web.server.WebFilterChainProxy;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilterChain;

import com.iotorq.lean.gateway.web.ManagementRequests;

/**
 * Spring Security's filter chains as a web filter of the management port only (the admin
 * API's bearer tokens). The public port's requests never meet it: the public pipeline
 * runs Spring Security's sign-in chain itself, for the gateway's own endpoints
 * ({@link com.iotorq.lean.gateway.sso.GatewayEndpoints}). It replaces Spring Security's
 * {@link WebFilterChainProxy} bean, which the management context inherits with every
 * other web filter.
 */
final class ManagementPortSecurity extends WebFilterChainProxy {

	private final WebFilterChainProxy chains;

	private ManagementPortSecurity(WebFilterChainProxy chains) {
		super(List.of());
		this.chains = chains;
	}

	/** Replaces Spring Security's web filter by this one. */
	static BeanPostProcessor replacingSpringSecuritysFilter() {
		return new BeanPostProcessor() {
			@Override
			public Object postProcessAfterInitialization(Object bean, String name) {
				return (bean instanceof WebFilterChainProxy chains && !(bean instanceof ManagementPortSecurity))
						? new ManagementPortSecurity(chains) : bean;
			}
		};
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		return ManagementRequests.isManagement(exchange) ? this.chains.filter(exchange, chain) : chain.filter(exchange);
	}

	@Override
	public String toString() {
		// named in a checkpoint on every request: not Object.toString's hash formatting
		return "ManagementPortSecurity";
	}

}
