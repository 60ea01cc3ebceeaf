package com.iotorq.lean.gateway.routing;

import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.http.HttpHeaders;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;

import com.iotorq.lean.gateway.session.SessionProperties;
import com.iotorq.lean.gateway.tenant.TenantAttributes;
import com.iotorq.lean.gateway.test.TestTenants;

import static org.assertj.core.api.Assertions.assertThat;

class HeaderHygieneFilterTests {

	private final HeaderHygieneFilter filter = new HeaderHygieneFilter(new Binder(new MapConfigurationPropertySource())
		.bindOrCreate(SessionProperties.PREFIX, SessionProperties.class));

	private final MockServerWebExchange exchange = MockServerWebExchange
		.from(MockServerHttpRequest.get("https://acme.iotorq-lean.com/"));

	@Test
	void filterWhenClientSendsReservedHeadersInAnySpellingThenNoneReachTheBackend() {
		HttpHeaders client = new HttpHeaders();
		client.add("X_LEAN_USER_ID", "forged");
		client.add("x-lean-user-id", "forged");
		client.add("X-Lean-User-Id", "forged");
		client.add(LeanHeaders.TENANT, "globex");
		client.add("Accept", "text/html");
		this.exchange.getAttributes().put(TenantAttributes.TENANT, TestTenants.tenant("acme"));

		HttpHeaders backend = this.filter.filter(client, this.exchange);

		assertThat(backend.headerNames()).containsExactlyInAnyOrder("Accept", LeanHeaders.TENANT);
		assertThat(backend.get(LeanHeaders.TENANT)).containsExactly("acme");
	}

	@Test
	void filterWhenGatewayChangedHeadersThenItsValuesReplaceAndRemoveTheClients() {
		HttpHeaders client = new HttpHeaders();
		client.add("traceparent", "00-from-the-client");
		client.add("tracestate", "vendor=1");
		BackendHeaders.of(this.exchange)
			.set("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
			.remove("TraceState")
			.set(LeanHeaders.USER_ID, "42");

		HttpHeaders backend = this.filter.filter(client, this.exchange);

		assertThat(backend.get("traceparent"))
			.containsExactly("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
		assertThat(backend.containsHeader("tracestate")).isFalse();
		assertThat(backend.get(LeanHeaders.USER_ID)).containsExactly("42");
		// no organisation on the exchange: no tenant header
		assertThat(backend.containsHeader(LeanHeaders.TENANT)).isFalse();
	}

	@Test
	void filterWhenCookieHeaderCarriesTheSessionCookieThenOnlyTheBackendsOwnCookiesRemain() {
		HttpHeaders client = new HttpHeaders();
		client.add(HttpHeaders.COOKIE, "LEAN_SESSION=abc; theme=dark; __Host-LEAN_SESSION=def");

		HttpHeaders backend = this.filter.filter(client, this.exchange);
		assertThat(backend.get(HttpHeaders.COOKIE)).containsExactly("theme=dark");

		HttpHeaders onlySession = new HttpHeaders();
		onlySession.add(HttpHeaders.COOKIE, "LEAN_SESSION=abc");
		assertThat(this.filter.filter(onlySession, this.exchange).containsHeader(HttpHeaders.COOKIE)).isFalse();
	}

}
