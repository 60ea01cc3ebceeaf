package com.iotorq.lean.gateway.routing;

import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import org.springframework.web.server.ServerWebExchange;

import com.iotorq.lean.gateway.config.BenchAblation;
import com.iotorq.lean.gateway.observability.RequestContext;

/**
 * Gives every request a W3C trace context: a valid inbound {@code traceparent} is kept,
 * anything else is replaced by a new one, and it travels on to the backend. Its trace id
 * is the request id in logs, on error pages ("Reference") and in the {@code X-Request-Id}
 * response header, so one id ties a person's report to every log line and to the
 * backend's traces.
 *
 * @see <a href="https://www.w3.org/TR/trace-context/">W3C Trace Context</a>
 */
public final class TraceContext {

	static final String TRACEPARENT = "traceparent";

	private static final String TRACESTATE = "tracestate";

	private static final Pattern VALID = Pattern.compile("00-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}");

	private static final String INVALID_TRACE = "0".repeat(32);

	private static final String INVALID_SPAN = "0".repeat(16);

	private static final HexFormat HEX = HexFormat.of();

	private final boolean on;

	public TraceContext(BenchAblation ablation) {
		this.on = ablation.isOn(BenchAblation.Feature.TRACE_CONTEXT);
	}

	/**
	 * The pipeline's first step: the request's id, from its valid {@code traceparent} or
	 * new.
	 * @return the request id, {@code null} only when the benchmark switched trace context
	 * off
	 */
	public @Nullable String start(ServerWebExchange exchange) {
		if (!this.on) {
			return null;
		}
		String inbound = exchange.getRequest().getHeaders().getFirst(TRACEPARENT);
		String traceId = traceIdOf(inbound);
		if (traceId == null) {
			traceId = randomHex(2);
			// the backend gets the new traceparent; the tracestate belonged to the one it
			// replaces
			BackendHeaders.of(exchange)
				.set(TRACEPARENT, "00-" + traceId + "-" + randomHex(1) + "-01")
				.remove(TRACESTATE);
		}
		exchange.getAttributes().put(RequestContext.REQUEST_ID_ATTRIBUTE, traceId);
		exchange.getResponse().getHeaders().set("X-Request-Id", traceId);
		return traceId;
	}

	static @Nullable String traceIdOf(@Nullable String traceparent) {
		if (traceparent == null) {
			return null;
		}
		var matcher = VALID.matcher(traceparent.strip());
		if (!matcher.matches() || matcher.group(1).equals(INVALID_TRACE) || matcher.group(2).equals(INVALID_SPAN)) {
			return null;
		}
		return matcher.group(1);
	}

	/**
	 * Random ids as W3C Trace Context asks (unique, not secret: they are shown on error
	 * pages), so not from SecureRandom, whose lock and entropy reads cost more than the
	 * rest of this filter.
	 */
	private static String randomHex(int longs) {
		ThreadLocalRandom random = ThreadLocalRandom.current();
		StringBuilder hex = new StringBuilder(16 * longs);
		for (int i = 0; i < longs; i++) {
			long value;
			do {
				value = random.nextLong();
			}
			while (value == 0); // all zeros is the invalid id
			hex.append(HEX.toHexDigits(value));
		}
		return hex.toString();
	}

}
