package com.iotorq.lean.gateway.routing;

import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.core.Ordered;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;

import com.iotorq.lean.gateway.web.ErrorCode;
import com.iotorq.lean.gateway.web.GatewayException;
import com.iotorq.lean.gateway.web.ManagementRequests;

/**
 * Never forwards a request that arrived on the management port. The management server's
 * dispatcher also sees the application's handler mappings, so without this guard the
 * backend routes would answer there too.
 */
@Component
public final class ManagementRouteGuard implements GlobalFilter, Ordered {

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
		return ManagementRequests.isManagement(exchange) ? Mono.error(new GatewayException(ErrorCode.NOT_FOUND))
				: chain.filter(exchange);
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

}
