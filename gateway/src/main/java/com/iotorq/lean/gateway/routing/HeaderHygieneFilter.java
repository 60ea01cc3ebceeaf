package com.iotorq.lean.gateway.routing;

import java.util.ArrayList;
import java.util.List;

import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;

import com.iotorq.lean.gateway.tenant.Tenant;
import com.iotorq.lean.gateway.tenant.TenantAttributes;

/**
 * Strips every inbound header in the {@code X-Lean-*} namespace (see
 * {@link LeanHeaders#isReserved}) from requests forwarded to a backend, then adds
 * {@code X-Lean-Tenant}. Identity headers are added after this filter, so a client can never
 * supply or shadow them.
 */
@Component
public final class HeaderHygieneFilter implements GlobalFilter, Ordered {

	/** Early, before any filter that adds gateway headers. */
	public static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 1000;

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
		Tenant tenant = TenantAttributes.required(exchange);
		ServerHttpRequest request = exchange.getRequest().mutate().headers(headers -> {
			removeReserved(headers);
			headers.set(LeanHeaders.TENANT, tenant.slug());
		}).build();
		return chain.filter(exchange.mutate().request(request).build());
	}

	static void removeReserved(HttpHeaders headers) {
		List<String> reserved = null;
		for (String name : headers.headerNames()) {
			if (LeanHeaders.isReserved(name)) {
				if (reserved == null) {
					reserved = new ArrayList<>(2);
				}
				reserved.add(name);
			}
		}
		if (reserved != null) {
			reserved.forEach(headers::remove);
		}
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

}
