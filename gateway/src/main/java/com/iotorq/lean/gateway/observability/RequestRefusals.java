package com.iotorq.lean.gateway.observability;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.stereotype.Component;

/**
 * Counts the requests refused with 429 by organisation and reason, as
 * {@code lean_requests_refused_total{tenant,reason}}. The counters are kept: a flood is
 * refused many thousand times a second and must not build a meter id each time.
 */
@Component
public class RequestRefusals {

	/** The organisation's budget for signed-in people. */
	public static final String SIGNED_IN = "signed-in";

	/** The organisation's budget for anonymous requests. */
	public static final String ANONYMOUS = "anonymous";

	/** One client address's share of the organisation's anonymous budget. */
	public static final String CLIENT = "client";

	/** The organisation's budget for SCIM provisioning requests. */
	public static final String SCIM = "scim";

	/** Sign-ins one client address started and did not complete. */
	public static final String SIGN_IN = "sign-in";

	private final MeterRegistry registry;

	private final Map<String, Counter> counters = new ConcurrentHashMap<>();

	public RequestRefusals(MeterRegistry registry) {
		this.registry = registry;
	}

	public void record(String tenant, String reason) {
		this.counters
			.computeIfAbsent(reason + ' ' + tenant,
					key -> Counter.builder("lean.requests.refused")
						.description("Requests refused with 429 by organisation and reason")
						.tag("tenant", tenant)
						.tag("reason", reason)
						.register(this.registry))
			.increment();
	}

}
