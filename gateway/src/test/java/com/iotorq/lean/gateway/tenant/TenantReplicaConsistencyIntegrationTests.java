package com.iotorq.lean.gateway.tenant;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import com.iotorq.lean.gateway.LeanGatewayApplication;
import com.iotorq.lean.gateway.test.EchoBackend;
import com.iotorq.lean.gateway.test.GatewayTestProperties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two gateway instances on one database behave as one: a change made through one
 * instance's admin API reaches the other's cache within a second, through PostgreSQL
 * NOTIFY.
 */
class TenantReplicaConsistencyIntegrationTests {

	static final EchoBackend backend = EchoBackend.start();

	static final EchoBackend otherBackend = EchoBackend.start();

	static ConfigurableApplicationContext first;

	static ConfigurableApplicationContext second;

	@BeforeAll
	static void startTwoInstances() {
		first = start();
		second = start();
	}

	@AfterAll
	static void stop() {
		first.close();
		second.close();
		backend.close();
		otherBackend.close();
	}

	@Test
	void changeThroughOneInstanceReachesTheOtherWithinASecond() {
		String slug = "rep-" + UUID.randomUUID().toString().substring(0, 8);
		// the second instance remembers the slug as unknown, then as its first version
		publicGet(second, slug).expectStatus().isNotFound();
		admin(first).put()
			.uri("/admin/tenants/{slug}", slug)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("displayName", "Replicated"))
			.exchange()
			.expectStatus()
			.isCreated();
		await().atMost(Duration.ofSeconds(1)).untilAsserted(() -> publicGet(second, slug).expectStatus().isOk());
		assertThat(backend.last().header("X-Lean-Tenant")).containsExactly(slug);

		admin(first).put()
			.uri("/admin/tenants/{slug}", slug)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("displayName", "Replicated", "backendUri", otherBackend.uri().toString()))
			.exchange()
			.expectStatus()
			.isOk();
		await().atMost(Duration.ofSeconds(1))
			.untilAsserted(() -> assertThat(second.getBean(TenantDirectory.class).find(slug).block().backendUri())
				.isEqualTo(otherBackend.uri()));
		publicGet(second, slug).expectStatus().isOk();
		assertThat(otherBackend.last().header("X-Lean-Tenant")).containsExactly(slug);

		admin(first).delete().uri("/admin/tenants/{slug}", slug).exchange().expectStatus().isNoContent();
		await().atMost(Duration.ofSeconds(1)).untilAsserted(() -> publicGet(second, slug).expectStatus().isNotFound());
	}

	private static ConfigurableApplicationContext start() {
		return new SpringApplicationBuilder(LeanGatewayApplication.class)
			.run(GatewayTestProperties.args("--lean.backend.default-uri=" + backend.uri()));
	}

	private static WebTestClient admin(ConfigurableApplicationContext context) {
		int port = managementPort(context);
		return WebTestClient.bindToServer()
			.responseTimeout(java.time.Duration.ofSeconds(30))
			.baseUrl("http://127.0.0.1:" + port)
			.defaultHeader("Authorization", "Bearer " + GatewayTestProperties.ADMIN_TOKEN)
			.build();
	}

	private static WebTestClient.ResponseSpec publicGet(ConfigurableApplicationContext context, String slug) {
		int port = ((WebServerApplicationContext) context).getWebServer().getPort();
		return WebTestClient.bindToServer()
			.responseTimeout(java.time.Duration.ofSeconds(30))
			.baseUrl("http://127.0.0.1:" + port)
			.responseTimeout(Duration.ofSeconds(20))
			.build()
			.get()
			.uri("/")
			.header("Host", slug + "." + GatewayTestProperties.BASE_DOMAIN)
			.exchange();
	}

	private static int managementPort(ConfigurableApplicationContext context) {
		return Integer.parseInt(context.getEnvironment().getProperty("local.management.port"));
	}

}
