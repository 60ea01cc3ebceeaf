package com.iotorq.lean.gateway.observability;

import org.springframework.web.server.ServerWebExchange;

import com.iotorq.lean.gateway.config.BenchAblation;

/** One timer per public request. */
public final class RequestMetrics {

	private final boolean on;

	public RequestMetrics(BenchAblation ablation) {
		this.on = ablation.isOn(BenchAblation.Feature.METRICS);
	}

	public void record(ServerWebExchange exchange, long startedNanos) {
		if (!this.on) {
			return;
		}
	}

}
