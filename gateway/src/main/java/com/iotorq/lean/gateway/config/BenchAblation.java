package com.iotorq.lean.gateway.config;

import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Per-request features switched off to measure what each costs (bench/README's ablation
 * table): {@code lean.bench.ablate=access-log,metrics} ({@code LEAN_BENCH_ABLATE}). For
 * the benchmark only: switching off the session, the rate limit or the security headers
 * removes a guarantee, so the gateway says so loudly at start. Each feature reads its
 * switch once, at start; a request pays nothing for it.
 *
 * @param ablate the features switched off; empty in every real deployment
 */
@ConfigurationProperties(BenchAblation.PREFIX)
public record BenchAblation(@DefaultValue Set<Feature> ablate) {

	public static final String PREFIX = "lean.bench";

	private static final Logger logger = LoggerFactory.getLogger(BenchAblation.class);

	public BenchAblation {
		ablate = Set.copyOf(ablate);
		if (!ablate.isEmpty()) {
			logger.warn("FOR MEASURING ONLY: lean.bench.ablate switches off {}; never run this in production", ablate);
		}
	}

	/** No feature switched off: what every deployment runs. */
	public static BenchAblation none() {
		return new BenchAblation(Set.of());
	}

	public boolean isOff(Feature feature) {
		return this.ablate.contains(feature);
	}

	public boolean isOn(Feature feature) {
		return !isOff(feature);
	}

	/**
	 * The per-request features of the public pipeline, as the ablation table names them.
	 */
	public enum Feature {

		ACCESS_LOG, METRICS, TRACE_CONTEXT, RATE_LIMIT, CIRCUIT_BREAKER, SECURITY_HEADERS, IDENTITY_HEADERS, SESSION

	}

}
