package com.iotorq.lean.gateway.reliability;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.test.web.reactive.server.WebTestClient;

import com.iotorq.lean.gateway.test.ResilienceTestSupport;
import com.iotorq.lean.gateway.test.TestBrowser;
import com.iotorq.lean.gateway.test.entra.TestEntra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * PostgreSQL down: nothing on the hot path of a cached organisation or a signed-in user
 * needs it, so they keep working (the account re-check keeps the session); what does need
 * it gets a 503 page with Retry-After within seconds, never a hang or a 404; health
 * details and metrics show the outage while readiness stays up; and everything recovers
 * by itself.
 */
class DatabaseOutageIntegrationTests extends ResilienceTestSupport {

	private static final JsonMapper json = JsonMapper.builder().build();

	@AfterEach
	void databaseBack() {
		awaitDatabaseBack();
	}

	@Test
	void databaseDownWhenTenantCachedAndUserSignedInThenStillServedWithIdentity() throws InterruptedException {
		Org acme = organisation();
		TestEntra.User ada = person(acme, "Ada Lovelace");
		assertThat(signIn(acme, ada, "/").status()).isEqualTo(302);
		String plain = plainOrganisation(Map.of());
		assertThat(this.browser.get(acme.url("/before")).status()).isEqualTo(200);
		assertThat(this.browser.get(url(plain, "/before")).status()).isEqualTo(200);

		database.cut();
		try {
			// several account re-check intervals (1 s): a re-check that cannot reach the
			// database keeps the session
			for (int i = 0; i < 6; i++) {
				long started = System.nanoTime();
				TestBrowser.Response page = this.browser.get(acme.url("/during/" + i));
				assertThat(page.status()).as(page.body()).isEqualTo(200);
				assertThat(since(started)).isLessThan(Duration.ofSeconds(1));
				assertThat(backend.last().header("X-Lean-User-Email")).containsExactly(ada.email());
				assertThat(backend.last().header("X-Lean-Identity")).hasSize(1);
				assertThat(this.browser.get(url(plain, "/during/" + i)).status()).isEqualTo(200);
				Thread.sleep(400);
			}
		}
		finally {
			database.restore();
		}
		assertThat(this.browser.get(acme.url("/after")).status()).isEqualTo(200);
	}

	@Test
	void databaseDownWhenTenantNotCachedThenQuick503WithRetryAfterAndFoundOnceBack() {
		String slug = plainOrganisation(Map.of()); // saving evicted it from this
													// instance's cache
		database.cut();
		try {
			for (int i = 0; i < 2; i++) {
				long started = System.nanoTime();
				TestBrowser.Response page = this.browser.get(url(slug, "/"));
				assertThat(since(started)).isLessThan(Duration.ofSeconds(5));
				assertThat(page.status()).isEqualTo(503);
				assertThat(page.header("Retry-After")).isNotBlank();
				assertThat(page.header("X-Lean-Error")).isEqualTo("service-unavailable");
				assertThat(page.body()).contains("Temporarily unavailable");
			}
		}
		finally {
			database.restore();
		}
		// the failed lookups were not remembered as "no such organisation"
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(this.browser.get(url(slug, "/")).status()).isEqualTo(200));
	}

	@Test
	void databaseDownThenHealthDetailsAndMetricsShowItWhileReadinessStaysUp() {
		WebTestClient management = WebTestClient.bindToServer()
			.responseTimeout(java.time.Duration.ofSeconds(30))
			.baseUrl("http://127.0.0.1:" + this.managementPort)
			.responseTimeout(Duration.ofSeconds(10))
			.build();
		await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
			assertThat(health(management).at("/components/tenantChanges/details/connected").asBoolean()).isTrue();
			assertThat(metric(management, "database")).isEqualTo("1.0");
			assertThat(metric(management, "redis")).isEqualTo("1.0");
		});

		database.cut();
		try {
			await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
				JsonNode health = health(management);
				assertThat(health.at("/components/r2dbc/status").asString()).isEqualTo("DOWN");
				assertThat(health.at("/components/tenantChanges/status").asString()).isEqualTo("DOWN");
				assertThat(health.at("/components/tenantChanges/details/connected").asBoolean()).isFalse();
				assertThat(metric(management, "database")).isEqualTo("0.0");
				assertThat(metric(management, "tenant-changes")).isEqualTo("0.0");
			});
			management.get()
				.uri("/actuator/health/readiness")
				.exchange()
				.expectStatus()
				.isOk()
				.expectBody()
				.jsonPath("$.status")
				.isEqualTo("UP");
			management.get().uri("/actuator/health/liveness").exchange().expectStatus().isOk();
		}
		finally {
			database.restore();
		}
		await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
			JsonNode health = health(management);
			assertThat(health.at("/components/r2dbc/status").asString()).isEqualTo("UP");
			assertThat(health.at("/components/tenantChanges/details/connected").asBoolean()).isTrue();
			assertThat(metric(management, "database")).isEqualTo("1.0");
			assertThat(metric(management, "tenant-changes")).isEqualTo("1.0");
		});
	}

	private static JsonNode health(WebTestClient management) {
		byte[] body = management.get().uri("/actuator/health").exchange().expectBody().returnResult().getResponseBody();
		return json.readTree(body);
	}

	/**
	 * The value of {@code lean_dependency_up{dependency=...}} in the Prometheus scrape.
	 */
	static String metric(WebTestClient management, String dependency) {
		String scrape = management.get()
			.uri("/actuator/prometheus")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		for (String line : scrape.split("\n")) {
			if (line.startsWith("lean_dependency_up{") && line.contains("dependency=\"" + dependency + "\"")) {
				return line.substring(line.lastIndexOf(' ') + 1);
			}
		}
		throw new AssertionError("no lean_dependency_up for " + dependency + " in:\n" + scrape);
	}

}
