package com.iotorq.lean.gateway.web;

import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Tells requests on the management port from public ones. The management server's child
 * context also runs the application's web filters, so each public-only filter asks
 * {@link #isManagement} rather than guessing from ports.
 */
public final class ManagementRequests {

	/** Exchange attribute set on every request the management server receives. */
	public static final String ATTRIBUTE = ManagementRequests.class.getName() + ".management";

	private ManagementRequests() {
	}

	public static boolean isManagement(ServerWebExchange exchange) {
		return exchange.getAttribute(ATTRIBUTE) != null;
	}

	/** Runs first in the management context and marks its requests. */
	public static final class MarkingFilter implements WebFilter, Ordered {

		@Override
		public String toString() {
			// named in a checkpoint on every request: not Object.toString's hash
			// formatting
			return "ManagementRequests.MarkingFilter";
		}

		@Override
		public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
			exchange.getAttributes().put(ATTRIBUTE, Boolean.TRUE);
			return chain.filter(exchange);
		}

		@Override
		public int getOrder() {
			return Ordered.HIGHEST_PRECEDENCE;
		}

	}

}
