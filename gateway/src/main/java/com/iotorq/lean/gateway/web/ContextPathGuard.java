package com.iotorq.lean.gateway.web;

import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

import com.iotorq.lean.gateway.tenant.TenantResolutionWebFilter;

/**
 * Refuses every public request that has a context path. The filters and Spring Security decide on
 * the path within the application, while Spring Cloud Gateway forwards the whole path: with a
 * context path the two differ, and a path that is blocked or needs a session could reach a
 * backend as another one. No header can set one ({@link TrustedProxyForwardedHeaderTransformer});
 * this guard keeps it so should {@code spring.webflux.base-path} or a future change add one.
 */
public final class ContextPathGuard implements WebFilter, Ordered {

	/** Before tenant resolution, the first filter that decides on the path. */
	public static final int ORDER = TenantResolutionWebFilter.ORDER - 10;

	@Override
	public String toString() {
		// named in a checkpoint on every request: not Object.toString's hash formatting
		return "ContextPathGuard";
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		if (!exchange.getRequest().getPath().contextPath().value().isEmpty() && !ManagementRequests.isManagement(exchange)) {
			return Mono.error(new GatewayException(ErrorCode.INTERNAL_ERROR,
					"The gateway is configured with a context path, which it does not support.", null));
		}
		return chain.filter(exchange);
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

}
