package com.iotorq.lean.gateway.observability;

import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

import com.iotorq.lean.gateway.web.ManagementRequests;

/**
 * TEMPORARY, until the public request pipeline (issue #14) calls {@link RequestMetrics#record}
 * itself: times each public request until its response is committed, whoever writes it.
 */
@Component
public final class RequestMetricsFilter implements WebFilter, Ordered {

	private final RequestMetrics metrics;

	public RequestMetricsFilter(RequestMetrics metrics) {
		this.metrics = metrics;
	}

	@Override
	public String toString() {
		// named in a checkpoint on every request: not Object.toString's hash formatting
		return "RequestMetricsFilter";
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		if (ManagementRequests.isManagement(exchange)) {
			return chain.filter(exchange);
		}
		long started = System.nanoTime();
		exchange.getResponse().beforeCommit(() -> Mono.fromRunnable(() -> this.metrics.record(exchange, started)));
		return chain.filter(exchange);
	}

	@Override
	public int getOrder() {
		return TraceContextFilter.ORDER + 1;
	}

}
