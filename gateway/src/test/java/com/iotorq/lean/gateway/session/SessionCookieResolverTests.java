package com.iotorq.lean.gateway.session;

import org.junit.jupiter.api.Test;

import org.springframework.http.HttpCookie;
import org.springframework.http.ResponseCookie;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;

import static org.assertj.core.api.Assertions.assertThat;

class SessionCookieResolverTests {

	private final SessionCookieResolver cookies = new SessionCookieResolver("LEAN_SESSION");

	@Test
	void resolveWhenHttpsThenOnlyTheHostPrefixedCookieIsRead() {
		MockServerWebExchange exchange = exchange("https://acme.iotorq-lean.com/");
		assertThat(this.cookies.resolveSessionIds(exchange)).containsExactly("real");
	}

	@Test
	void resolveWhenPlainHttpThenThePlainCookieIsRead() {
		MockServerWebExchange exchange = exchange("http://acme.localhost:8080/");
		assertThat(this.cookies.resolveSessionIds(exchange)).containsExactly("planted-or-local");
	}

	/**
	 * Each id named is a session store read: a request naming hundreds must not cost
	 * hundreds.
	 */
	@Test
	void resolveWhenManySessionCookiesThenOnlyTheFirstIsLookedUp() {
		MockServerHttpRequest.BaseBuilder<?> request = MockServerHttpRequest.get("https://acme.iotorq-lean.com/");
		for (int i = 0; i < 100; i++) {
			request.cookie(new HttpCookie("__Host-LEAN_SESSION", "id-" + i));
		}
		assertThat(this.cookies.resolveSessionIds(MockServerWebExchange.from(request))).containsExactly("id-0");
	}

	@Test
	void setWhenHttpsThenHostPrefixedSecureHostOnlyPathRoot() {
		MockServerWebExchange exchange = exchange("https://acme.iotorq-lean.com/deep/path");
		this.cookies.setSessionId(exchange, "id");
		ResponseCookie cookie = exchange.getResponse().getCookies().getFirst("__Host-LEAN_SESSION");
		assertThat(cookie).isNotNull();
		assertThat(cookie.isSecure()).isTrue();
		assertThat(cookie.getDomain()).isNull();
		assertThat(cookie.getPath()).isEqualTo("/");
		assertThat(cookie.isHttpOnly()).isTrue();
		assertThat(cookie.getSameSite()).isEqualTo("Lax");
		assertThat(exchange.getResponse().getCookies()).doesNotContainKey("LEAN_SESSION");
	}

	@Test
	void expireWhenPlainHttpThenThePlainCookieEnds() {
		MockServerWebExchange exchange = exchange("http://acme.localhost:8080/");
		this.cookies.expireSession(exchange);
		ResponseCookie cookie = exchange.getResponse().getCookies().getFirst("LEAN_SESSION");
		assertThat(cookie).isNotNull();
		assertThat(cookie.getMaxAge()).isZero();
		assertThat(cookie.isSecure()).isFalse();
		assertThat(exchange.getResponse().getCookies()).doesNotContainKey("__Host-LEAN_SESSION");
	}

	private static MockServerWebExchange exchange(String url) {
		return MockServerWebExchange.from(MockServerHttpRequest.get(url)
			.cookie(new HttpCookie("LEAN_SESSION", "planted-or-local"), new HttpCookie("__Host-LEAN_SESSION", "real")));
	}

}
