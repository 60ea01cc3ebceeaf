package com.iotorq.lean.gateway.observability;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;

import reactor.core.publisher.Mono;
import reactor.util.context.Context;

import org.springframework.core.Ordered;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Gives every request a W3C trace context: a valid inbound {@code traceparent} is kept, anything
 * else is replaced by a new one, and it travels on to the backend. Its trace id is the request
 * id in logs, on error pages ("Reference") and in the {@code X-Request-Id} response header, so
 * one id ties a person's report to every log line and to the backend's traces.
 *
 * @see <a href="https://www.w3.org/TR/trace-context/">W3C Trace Context</a>
 */
@Component
public final class TraceContextFilter implements WebFilter, Ordered {

	/** First of all filters, so that every later log line carries the id. */
	public static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 10;

	static final String TRACEPARENT = "traceparent";

	private static final Pattern VALID = Pattern.compile("00-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}");

	private static final String INVALID_TRACE = "0".repeat(32);

	private static final String INVALID_SPAN = "0".repeat(16);

	private final SecureRandom random = new SecureRandom();

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		String inbound = exchange.getRequest().getHeaders().getFirst(TRACEPARENT);
		String traceId = traceIdOf(inbound);
		ServerWebExchange traced = exchange;
		if (traceId == null) {
			traceId = hex(16);
			String traceparent = "00-" + traceId + "-" + hex(8) + "-01";
			ServerHttpRequest request = exchange.getRequest().mutate().headers(h -> {
				h.remove("tracestate"); // belongs to the traceparent it came with
				h.set(TRACEPARENT, traceparent);
			}).build();
			traced = exchange.mutate().request(request).build();
		}
		traced.getAttributes().put(RequestContext.REQUEST_ID_ATTRIBUTE, traceId);
		traced.getResponse().getHeaders().set("X-Request-Id", traceId);
		String requestId = traceId;
		return chain.filter(traced).contextWrite(Context.of(RequestContext.REQUEST_ID, requestId));
	}

	static String traceIdOf(String traceparent) {
		if (traceparent == null) {
			return null;
		}
		var matcher = VALID.matcher(traceparent.strip());
		if (!matcher.matches() || matcher.group(1).equals(INVALID_TRACE) || matcher.group(2).equals(INVALID_SPAN)) {
			return null;
		}
		return matcher.group(1);
	}

	private String hex(int bytes) {
		byte[] value = new byte[bytes];
		this.random.nextBytes(value);
		return HexFormat.of().formatHex(value);
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

}
