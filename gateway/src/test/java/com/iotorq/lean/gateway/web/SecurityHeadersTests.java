package com.iotorq.lean.gateway.web;

import java.util.Set;

import org.junit.jupiter.api.Test;

import org.springframework.http.HttpHeaders;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;

import com.iotorq.lean.gateway.config.BenchAblation;

import static org.assertj.core.api.Assertions.assertThat;

class SecurityHeadersTests {

	private final SecurityHeaders securityHeaders = new SecurityHeaders(BenchAblation.none());

	@Test
	void writeIfAskedWhenAskedOverHttpsThenSpringSecuritysHeadersWritten() {
		MockServerWebExchange exchange = exchange("https://acme.iotorq-lean.com/");

		this.securityHeaders.onCommit(exchange);
		this.securityHeaders.writeIfAsked(exchange);

		HttpHeaders headers = exchange.getResponse().getHeaders();
		assertThat(headers.getFirst("X-Content-Type-Options")).isEqualTo("nosniff");
		assertThat(headers.getFirst("X-Frame-Options")).isEqualTo("SAMEORIGIN");
		assertThat(headers.getFirst("X-XSS-Protection")).isEqualTo("0");
		assertThat(headers.getFirst("Referrer-Policy")).isEqualTo("no-referrer");
		assertThat(headers.getFirst("Strict-Transport-Security")).startsWith("max-age=");
		// backends decide how their responses are cached
		assertThat(headers.containsHeader(HttpHeaders.CACHE_CONTROL)).isFalse();
	}

	@Test
	void writeIfAskedWhenBackendSetAHeaderItselfThenItsValueKept() {
		MockServerWebExchange exchange = exchange("https://acme.iotorq-lean.com/");
		exchange.getResponse().getHeaders().set("X-Frame-Options", "DENY");
		exchange.getResponse().getHeaders().set("Referrer-Policy", "same-origin");

		this.securityHeaders.onCommit(exchange);
		this.securityHeaders.writeIfAsked(exchange);

		assertThat(exchange.getResponse().getHeaders().get("X-Frame-Options")).containsExactly("DENY");
		assertThat(exchange.getResponse().getHeaders().get("Referrer-Policy")).containsExactly("same-origin");
	}

	@Test
	void writeIfAskedWhenPlainHttpThenNoStrictTransportSecurity() {
		MockServerWebExchange exchange = exchange("http://acme.iotorq-lean.com/");

		this.securityHeaders.onCommit(exchange);
		this.securityHeaders.writeIfAsked(exchange);

		assertThat(exchange.getResponse().getHeaders().containsHeader("Strict-Transport-Security")).isFalse();
		assertThat(exchange.getResponse().getHeaders().getFirst("X-Content-Type-Options")).isEqualTo("nosniff");
	}

	@Test
	void writeIfAskedWhenNotAskedOrSwitchedOffThenNothingWritten() {
		MockServerWebExchange notAsked = exchange("https://acme.iotorq-lean.com/");
		this.securityHeaders.writeIfAsked(notAsked);
		assertThat(notAsked.getResponse().getHeaders().isEmpty()).isTrue();

		SecurityHeaders off = new SecurityHeaders(new BenchAblation(Set.of(BenchAblation.Feature.SECURITY_HEADERS)));
		MockServerWebExchange switchedOff = exchange("https://acme.iotorq-lean.com/");
		off.onCommit(switchedOff);
		off.writeIfAsked(switchedOff);
		assertThat(switchedOff.getResponse().getHeaders().isEmpty()).isTrue();
	}

	private static MockServerWebExchange exchange(String url) {
		return MockServerWebExchange.from(MockServerHttpRequest.get(url));
	}

}
