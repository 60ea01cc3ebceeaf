package com.iotorq.lean.gateway.observability;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.stereotype.Component;

/**
 * Counts sign-ins by organisation and outcome: {@code success}, or the stable code of the
 * reason it failed (e.g. {@code sign-in-rejected}, {@code AADSTS50105}), as
 * {@code lean_sign_ins_total{tenant,outcome}}.
 */
@Component
public class SignInMetrics {

	public static final String SUCCESS = "success";

	private final MeterRegistry registry;

	public SignInMetrics(MeterRegistry registry) {
		this.registry = registry;
	}

	public void record(String tenant, String outcome) {
		Counter.builder("lean.sign.ins")
			.description("Completed sign-ins by organisation and outcome")
			.tag("tenant", tenant)
			.tag("outcome", outcome)
			.register(this.registry)
			.increment();
	}

}
