package com.iotorq.lean.gateway.sso.endpoints;

import org.junit.jupiter.api.Test;

import org.springframework.http.HttpMethod;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;

import com.iotorq.lean.gateway.web.ErrorCode;
import com.iotorq.lean.gateway.web.GatewayException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CrossSiteRequestGuardTests {

	private static final String ACME = "https://acme.iotorq-lean.com";

	private final CrossSiteRequestGuard guard = new CrossSiteRequestGuard();

	@Test
	void checkWhenStateChangeFromASiblingOrganisationsPageThenForbidden() {
		// *.iotorq-lean.com is one site: the browser sends acme's cookies along
		assertRefused(request(HttpMethod.POST, ACME + "/orders").header("Sec-Fetch-Site", "same-site"));
		assertRefused(
				request(HttpMethod.DELETE, ACME + "/orders/1").header("Origin", "https://globex.iotorq-lean.com"));
		assertRefused(request(HttpMethod.POST, ACME + "/oauth/logout").header("Sec-Fetch-Site", "cross-site"));
	}

	@Test
	void checkWhenWebSocketHandshakeFromAnotherSiteThenForbidden() {
		assertRefused(request(HttpMethod.GET, ACME + "/live").header("Upgrade", "websocket")
			.header("Origin", "https://evil.example"));
	}

	@Test
	void checkWhenSafeMethodFromAnotherSiteThenPasses() {
		assertPasses(request(HttpMethod.GET, ACME + "/orders").header("Sec-Fetch-Site", "cross-site")
			.header("Origin", "https://evil.example"));
		assertPasses(request(HttpMethod.HEAD, ACME + "/orders").header("Sec-Fetch-Site", "same-site"));
		assertPasses(request(HttpMethod.OPTIONS, ACME + "/orders").header("Origin", "https://evil.example"));
	}

	@Test
	void checkWhenOwnOriginWithOrWithoutDefaultPortThenPasses() {
		assertPasses(request(HttpMethod.POST, ACME + "/orders").header("Origin", ACME)
			.header("Sec-Fetch-Site", "same-origin"));
		assertPasses(request(HttpMethod.POST, ACME + ":443/orders").header("Origin", ACME));
		assertPasses(request(HttpMethod.POST, "http://acme.localhost:8080/orders").header("Origin",
				"http://ACME.localhost:8080"));
		// another port is another origin
		assertRefused(request(HttpMethod.POST, "http://acme.localhost:8080/orders").header("Origin",
				"http://acme.localhost:9090"));
	}

	@Test
	void checkWhenOriginNullThenPassesOnlyWhenSameOriginVouchesForIt() {
		assertPasses(request(HttpMethod.POST, ACME + "/orders").header("Origin", "null")
			.header("Sec-Fetch-Site", "same-origin"));
		assertRefused(request(HttpMethod.POST, ACME + "/orders").header("Origin", "null"));
	}

	@Test
	void checkWhenNeitherHeaderOrTypedByThePersonThenPasses() {
		// API clients send neither header
		assertPasses(request(HttpMethod.PUT, ACME + "/api/orders/1"));
		assertPasses(request(HttpMethod.POST, ACME + "/orders").header("Sec-Fetch-Site", "none"));
	}

	private static MockServerHttpRequest.BodyBuilder request(HttpMethod method, String url) {
		return MockServerHttpRequest.method(method, url);
	}

	private void assertRefused(MockServerHttpRequest.BaseBuilder<?> request) {
		MockServerWebExchange exchange = MockServerWebExchange.from(request);
		assertThatThrownBy(() -> this.guard.check(exchange)).isInstanceOfSatisfying(GatewayException.class,
				refused -> assertThat(refused.code()).isEqualTo(ErrorCode.FORBIDDEN));
	}

	private void assertPasses(MockServerHttpRequest.BaseBuilder<?> request) {
		MockServerWebExchange exchange = MockServerWebExchange.from(request);
		assertThatCode(() -> this.guard.check(exchange)).doesNotThrowAnyException();
		assertThat(exchange.getResponse().getStatusCode()).isNull();
	}

}
