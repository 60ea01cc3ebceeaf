package com.iotorq.lean.gateway.observability;

import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

import com.iotorq.lean.gateway.web.ManagementRequests;

/**
 * Writes the {@link AccessLog} line of each public request when its response is committed.
 * Until the public request pipeline (issue #14) calls {@link AccessLog#record} itself.
 */
@Component
public final class AccessLogFilter implements WebFilter, Ordered {

	private final AccessLog accessLog;

	public AccessLogFilter(AccessLog accessLog) {
		this.accessLog = accessLog;
	}

	@Override
	public String toString() {
		// named in a checkpoint on every request: not Object.toString's hash formatting
		return "AccessLogFilter";
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		if (ManagementRequests.isManagement(exchange)) {
			return chain.filter(exchange);
		}
		long started = System.nanoTime();
		// logged when the response is committed, whoever writes it (the error pages included)
		exchange.getResponse().beforeCommit(() -> Mono.fromRunnable(() -> this.accessLog.record(exchange, started)));
		return chain.filter(exchange);
	}

	@Override
	public int getOrder() {
		return TraceContextFilter.ORDER + 1;
	}

}
