package com.iotorq.lean.gateway.routing;

import java.util.Set;

import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.http.HttpHeaders;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;

import com.iotorq.lean.gateway.config.BenchAblation;
import com.iotorq.lean.gateway.observability.RequestContext;
import com.iotorq.lean.gateway.session.SessionProperties;

import static org.assertj.core.api.Assertions.assertThat;

class TraceContextTests {

	private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";

	private static final String TRACEPARENT = "00-" + TRACE_ID + "-00f067aa0ba902b7-01";

	private final TraceContext traceContext = new TraceContext(BenchAblation.none());

	/** What the backend receives, as the last header filter makes it. */
	private final HeaderHygieneFilter backendHeaders = new HeaderHygieneFilter(
			new Binder(new MapConfigurationPropertySource()).bindOrCreate(SessionProperties.PREFIX,
					SessionProperties.class));

	@Test
	void startWhenValidTraceparentThenItsTraceIdIsTheRequestIdAndTheBackendGetsItUnchanged() {
		MockServerWebExchange exchange = exchange(TRACEPARENT);

		assertThat(this.traceContext.start(exchange)).isEqualTo(TRACE_ID);

		assertThat(RequestContext.requestId(exchange)).isEqualTo(TRACE_ID);
		assertThat(exchange.getResponse().getHeaders().getFirst("X-Request-Id")).isEqualTo(TRACE_ID);
		HttpHeaders backend = toBackend(exchange);
		assertThat(backend.get("traceparent")).containsExactly(TRACEPARENT);
		assertThat(backend.get("tracestate")).containsExactly("vendor=1");
	}

	@Test
	void startWhenTraceparentMissingMalformedOrAllZerosThenNewTraceWithoutTheOldTracestate() {
		for (String inbound : new String[] { null, "garbage", "00-" + "0".repeat(32) + "-00f067aa0ba902b7-01",
				"00-" + TRACE_ID + "-" + "0".repeat(16) + "-01",
				"00-" + TRACE_ID.toUpperCase() + "-00f067aa0ba902b7-01" }) {
			MockServerWebExchange exchange = exchange(inbound);

			String requestId = this.traceContext.start(exchange);

			assertThat(requestId).as(inbound).matches("[0-9a-f]{32}").isNotEqualTo(TRACE_ID);
			assertThat(exchange.getResponse().getHeaders().getFirst("X-Request-Id")).isEqualTo(requestId);
			HttpHeaders backend = toBackend(exchange);
			assertThat(backend.getFirst("traceparent")).as(inbound).matches("00-" + requestId + "-[0-9a-f]{16}-01");
			assertThat(backend.containsHeader("tracestate")).isFalse();
		}
	}

	@Test
	void startWhenSwitchedOffForMeasuringThenNoRequestIdAndNothingChanged() {
		TraceContext off = new TraceContext(new BenchAblation(Set.of(BenchAblation.Feature.TRACE_CONTEXT)));
		MockServerWebExchange exchange = exchange("garbage");

		assertThat(off.start(exchange)).isNull();

		assertThat(exchange.getAttributes()).doesNotContainKey(RequestContext.REQUEST_ID_ATTRIBUTE);
		assertThat(exchange.getResponse().getHeaders().containsHeader("X-Request-Id")).isFalse();
		assertThat(toBackend(exchange).get("traceparent")).containsExactly("garbage");
	}

	private static MockServerWebExchange exchange(String traceparent) {
		MockServerHttpRequest.BaseBuilder<?> request = MockServerHttpRequest.get("https://acme.iotorq-lean.com/")
			.header("tracestate", "vendor=1");
		if (traceparent != null) {
			request.header("traceparent", traceparent);
		}
		return MockServerWebExchange.from(request);
	}

	private HttpHeaders toBackend(MockServerWebExchange exchange) {
		return this.backendHeaders.filter(exchange.getRequest().getHeaders(), exchange);
	}

}
