package com.iotorq.lean.gateway.routing;

import java.net.URI;

import org.junit.jupiter.api.Test;

import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;

import com.iotorq.lean.gateway.resilience.CircuitBreakerSettings;
import com.iotorq.lean.gateway.tenant.Tenant;
import com.iotorq.lean.gateway.tenant.TenantAttributes;
import com.iotorq.lean.gateway.test.CapturingChain;
import com.iotorq.lean.gateway.test.TestTenants;

import static org.assertj.core.api.Assertions.assertThat;

class TenantBackendFilterTests {

	private static final URI DEFAULT_BACKEND = URI.create("http://lean-backend:8080");

	private final TenantBackendFilter filter = new TenantBackendFilter(new BackendProperties(DEFAULT_BACKEND,
			new CircuitBreakerSettings(true, 50, 20, 5, java.time.Duration.ofSeconds(30), 2)));

	private final CapturingChain chain = new CapturingChain();

	@Test
	void filterWhenOrganisationHasOwnBackendAndRouteTargetsTheDefaultThenRequestUrlRetargeted() {
		MockServerWebExchange exchange = exchange(
				TestTenants.tenant().backendUri(URI.create("https://acme-backend.example:8443/lean/")).build(),
				"http://lean-backend:8080");

		this.filter.filter(exchange, this.chain).block();

		assertThat(requestUrl(this.chain))
			.isEqualTo(URI.create("https://acme-backend.example:8443/lean/app/x?y=1%202"));
	}

	@Test
	void filterWhenOrganisationUsesTheDefaultBackendThenRequestUrlUnchanged() {
		MockServerWebExchange exchange = exchange(TestTenants.tenant("acme"), "http://lean-backend:8080");

		this.filter.filter(exchange, this.chain).block();

		assertThat(requestUrl(this.chain)).isEqualTo(URI.create("http://lean-backend:8080/app/x?y=1%202"));
	}

	@Test
	void filterWhenRouteTargetsAnotherServiceThenRequestUrlUnchanged() {
		MockServerWebExchange exchange = exchange(
				TestTenants.tenant().backendUri(URI.create("https://acme-backend.example")).build(),
				"http://reports:9090");

		this.filter.filter(exchange, this.chain).block();

		assertThat(requestUrl(this.chain)).isEqualTo(URI.create("http://reports:9090/app/x?y=1%202"));
	}

	private static MockServerWebExchange exchange(Tenant tenant, String routeUri) {
		MockServerWebExchange exchange = MockServerWebExchange
			.from(MockServerHttpRequest.get("https://acme.iotorq-lean.com/app/x?y=1%202"));
		exchange.getAttributes().put(TenantAttributes.TENANT, tenant);
		exchange.getAttributes()
			.put(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR,
					Route.async().id("backend").uri(URI.create(routeUri)).predicate(e -> true).build());
		exchange.getAttributes()
			.put(ServerWebExchangeUtils.GATEWAY_REQUEST_URL_ATTR, URI.create(routeUri + "/app/x?y=1%202"));
		return exchange;
	}

	private static URI requestUrl(CapturingChain chain) {
		return chain.exchange().getRequiredAttribute(ServerWebExchangeUtils.GATEWAY_REQUEST_URL_ATTR);
	}

}
