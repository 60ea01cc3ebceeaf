package com.iotorq.lean.gateway.routing;

import org.junit.jupiter.api.Test;

import org.springframework.cloud.gateway.filter.headers.HttpHeadersFilter.Type;
import org.springframework.http.HttpHeaders;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;

import static org.assertj.core.api.Assertions.assertThat;

class HostOnlyCookiesFilterTests {

	private final HostOnlyCookiesFilter filter = new HostOnlyCookiesFilter();

	private final MockServerWebExchange exchange = MockServerWebExchange
		.from(MockServerHttpRequest.get("https://acme.iotorq-lean.com/"));

	@Test
	void supportsWhenResponseThenTrueAndRequestNot() {
		assertThat(this.filter.supports(Type.RESPONSE)).isTrue();
		assertThat(this.filter.supports(Type.REQUEST)).isFalse();
	}

	@Test
	void filterWhenSetCookieHasDomainInAnyCaseOrSpacingThenDomainRemovedAndTheRestKept() {
		HttpHeaders backend = new HttpHeaders();
		backend.add(HttpHeaders.SET_COOKIE, "theme=dark; Domain=.iotorq-lean.com; Path=/; HttpOnly");
		backend.add(HttpHeaders.SET_COOKIE, "lang=en;  DOMAIN = iotorq-lean.com ;Secure");
		backend.add(HttpHeaders.CONTENT_TYPE, "text/html");

		HttpHeaders sent = this.filter.filter(backend, this.exchange);

		assertThat(sent.get(HttpHeaders.SET_COOKIE)).containsExactly("theme=dark; Path=/; HttpOnly", "lang=en;Secure");
		assertThat(sent.getFirst(HttpHeaders.CONTENT_TYPE)).isEqualTo("text/html");
		// the backend's own headers are not changed in place
		assertThat(backend.get(HttpHeaders.SET_COOKIE)).containsExactly(
				"theme=dark; Domain=.iotorq-lean.com; Path=/; HttpOnly", "lang=en;  DOMAIN = iotorq-lean.com ;Secure");
	}

	@Test
	void filterWhenNoSetCookieOrNoDomainThenHeadersUnchanged() {
		HttpHeaders withoutCookies = new HttpHeaders();
		withoutCookies.add(HttpHeaders.CONTENT_TYPE, "text/html");
		assertThat(this.filter.filter(withoutCookies, this.exchange)).isSameAs(withoutCookies);

		HttpHeaders hostOnly = new HttpHeaders();
		// a value that merely mentions a domain is no Domain attribute
		hostOnly.add(HttpHeaders.SET_COOKIE, "site=domain.example; Path=/");
		assertThat(this.filter.filter(hostOnly, this.exchange)).isSameAs(hostOnly);
	}

}
