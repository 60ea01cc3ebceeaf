package com.iotorq.lean.gateway.test;

import java.time.Duration;
import java.util.Map;

import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * A gateway whose PostgreSQL and Redis are reached through {@link TcpProxy proxies} a
 * test can cut, with the Redis session store, and every timeout, circuit breaker and
 * probe interval shortened so that faults show within a second or two. Every test class
 * extending it shares one application context: a test that cuts a dependency restores it
 * before it ends. The tests send from one address, which stands for a whole organisation
 * here ({@code client-share=1}).
 */
@TestPropertySource(properties = { "lean.session.store=redis", "spring.data.redis.timeout=1s",
		"spring.data.redis.connect-timeout=500ms", "lean.session.account-recheck-interval=1s",
		"lean.session.account-recheck-retry=1s", "lean.session.account-recheck-timeout=300ms",
		"lean.sso.connect-timeout=500ms", "lean.sso.response-timeout=1s", "lean.sso.circuit-breaker.minimum-calls=3",
		"lean.sso.circuit-breaker.sliding-window-size=5", "lean.sso.circuit-breaker.wait-in-open-state=3s",
		"lean.sso.circuit-breaker.half-open-calls=1", "lean.backend.circuit-breaker.minimum-calls=3",
		"lean.backend.circuit-breaker.sliding-window-size=5", "lean.backend.circuit-breaker.wait-in-open-state=3s",
		"lean.backend.circuit-breaker.half-open-calls=1",
		"spring.cloud.gateway.server.webflux.httpclient.connect-timeout=500",
		"spring.cloud.gateway.server.webflux.httpclient.response-timeout=2s",
		"lean.rate-limit.default-requests-per-second=100000", "lean.rate-limit.client-share=1",
		"lean.server.request-head-timeout=1s", "server.netty.idle-timeout=2s", "lean.server.body-read-timeout=1s",
		"lean.health.probe-interval=300ms", "lean.health.probe-timeout=2s", "lean.gateway.tenant-cache.load-timeout=2s",
		"spring.r2dbc.pool.max-acquire-time=2s", "spring.r2dbc.pool.max-create-connection-time=1s",
		"spring.r2dbc.pool.max-size=5" })
public abstract class ResilienceTestSupport extends SignInTestSupport {

	/** Between the gateway and PostgreSQL. */
	protected static final TcpProxy database = new TcpProxy(TestDatabase.get().host(), TestDatabase.get().port());

	/** Between the gateway and Redis. */
	protected static final TcpProxy redis = new TcpProxy(TestRedis.get().host(), TestRedis.get().port());

	/**
	 * The connection URLs win over the host and port {@link GatewayTestProperties}
	 * registers (as they would over {@code lean.database.*} and
	 * {@code spring.data.redis.host/port} anywhere).
	 */
	@DynamicPropertySource
	static void throughProxies(DynamicPropertyRegistry registry) {
		String name = TestDatabase.get().name();
		registry.add("spring.r2dbc.url", () -> "r2dbc:postgresql://127.0.0.1:" + database.port() + "/" + name);
		registry.add("spring.flyway.url", () -> "jdbc:postgresql://127.0.0.1:" + database.port() + "/" + name);
		registry.add("spring.data.redis.url", () -> "redis://127.0.0.1:" + redis.port());
	}

	/**
	 * Waits until the database answers again through every pooled connection: after an
	 * outage each idle connection is dead and is discarded by the request that finds it,
	 * so the tests that follow must not be those requests. Concurrent requests use the
	 * whole pool.
	 */
	protected void awaitDatabaseBack() {
		org.awaitility.Awaitility.await()
			.atMost(Duration.ofSeconds(30))
			.pollInterval(Duration.ofMillis(200))
			.until(() -> {
				java.util.List<Integer> statuses = reactor.core.publisher.Flux.range(0, 12)
					.flatMap(i -> org.springframework.web.reactive.function.client.WebClient
						.create("http://127.0.0.1:" + this.managementPort)
						.get()
						.uri("/admin/tenants?size=1")
						.header("Authorization", "Bearer " + GatewayTestProperties.ADMIN_TOKEN)
						.exchangeToMono(response -> reactor.core.publisher.Mono.just(response.statusCode().value())))
					.collectList()
					.block(Duration.ofSeconds(20));
				return statuses != null && statuses.stream().allMatch(status -> status == 200);
			});
	}

	/**
	 * An organisation without sign-in (its backend does its own), created through the
	 * admin API.
	 */
	protected String plainOrganisation(Map<String, ?> fields) {
		String slug = "plain-" + java.util.UUID.randomUUID().toString().substring(0, 8);
		java.util.Map<String, Object> body = new java.util.HashMap<>(fields);
		body.putIfAbsent("displayName", "Plain " + slug);
		this.admin.put()
			.uri("/admin/tenants/{slug}", slug)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(body)
			.exchange()
			.expectStatus()
			.isCreated();
		return slug;
	}

	/** {@code http://<slug>.lean.test:<port><path>} */
	protected String url(String slug, String path) {
		return "http://" + slug + "." + GatewayTestProperties.BASE_DOMAIN + ":" + this.port + path;
	}

	protected static Duration since(long startedNanos) {
		return Duration.ofNanos(System.nanoTime() - startedNanos);
	}

}
