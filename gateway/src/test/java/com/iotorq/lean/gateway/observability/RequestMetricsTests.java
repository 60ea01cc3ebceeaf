package com.iotorq.lean.gateway.observability;

import java.net.URI;
import java.util.Set;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.http.HttpStatus;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;

import com.iotorq.lean.gateway.config.BenchAblation;
import com.iotorq.lean.gateway.tenant.TenantAttributes;
import com.iotorq.lean.gateway.test.TestTenants;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One timer per public request, with the documented tags, found again without building
 * tags.
 */
class RequestMetricsTests {

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	private final RequestMetrics metrics = new RequestMetrics(this.registry, BenchAblation.none());

	private final Route backend = Route.async()
		.id("lean-backend")
		.uri(URI.create("http://127.0.0.1:9000"))
		.predicate(exchange -> true)
		.build();

	@Test
	void recordWhenRoutedRequestsThenOneTimerWithDocumentedTags() {
		for (int i = 0; i < 3; i++) {
			MockServerWebExchange exchange = exchange("acme");
			exchange.getAttributes().put(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR, this.backend);
			this.metrics.record(exchange, System.nanoTime() - 2_000_000);
		}

		assertThat(this.registry.getMeters()).singleElement().satisfies(meter -> {
			assertThat(meter.getId().getName()).isEqualTo("spring.cloud.gateway.requests");
			assertThat(meter.getId().getTags()).containsExactlyInAnyOrder(Tag.of("tenant", "acme"),
					Tag.of("routeId", "lean-backend"), Tag.of("httpStatusCode", "200"),
					Tag.of("outcome", "SUCCESSFUL"));
			assertThat(((Timer) meter).count()).isEqualTo(3);
			assertThat(((Timer) meter).totalTime(java.util.concurrent.TimeUnit.MILLISECONDS)).isGreaterThanOrEqualTo(6);
		});
	}

	@Test
	void recordWhenGatewayAnswersThenGatewayRouteAndItsStatus() {
		MockServerWebExchange refused = exchange("acme");
		refused.getResponse().setStatusCode(HttpStatus.TOO_MANY_REQUESTS);
		this.metrics.record(refused, System.nanoTime());
		MockServerWebExchange unknown = MockServerWebExchange.from(MockServerHttpRequest.get("/"));
		unknown.getResponse().setStatusCode(HttpStatus.NOT_FOUND);
		this.metrics.record(unknown, System.nanoTime());

		assertThat(this.registry.getMeters()).extracting(Meter::getId)
			.extracting(id -> id.getTag("tenant") + " " + id.getTag("routeId") + " " + id.getTag("httpStatusCode") + " "
					+ id.getTag("outcome"))
			.containsExactlyInAnyOrder("acme lean-gateway 429 CLIENT_ERROR", "none lean-gateway 404 CLIENT_ERROR");
	}

	@Test
	void timerWhenSameCombinationThenSameInstanceAndOddStatusesShareOne() {
		assertThat(this.metrics.timer("acme", "lean-backend", 502))
			.isSameAs(this.metrics.timer("acme", "lean-backend", 502));
		assertThat(this.metrics.timer("acme", "lean-backend", 999))
			.isSameAs(this.metrics.timer("acme", "lean-backend", 42));
		assertThat(this.metrics.timer("acme", "lean-backend", 999).getId().getTag("httpStatusCode")).isEqualTo("NA");
	}

	@Test
	void recordWhenAblatedThenNoTimer() {
		new RequestMetrics(this.registry, new BenchAblation(Set.of(BenchAblation.Feature.METRICS)))
			.record(exchange("acme"), System.nanoTime());
		assertThat(this.registry.getMeters()).isEmpty();
	}

	private static MockServerWebExchange exchange(String slug) {
		MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/x"));
		exchange.getAttributes().put(TenantAttributes.TENANT, TestTenants.tenant(slug));
		return exchange;
	}

}
