package com.iotorq.lean.gateway.admin;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import com.iotorq.lean.gateway.test.EchoBackend;
import com.iotorq.lean.gateway.test.GatewayTestProperties;
import com.iotorq.lean.gateway.test.TestSchema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;

/**
 * The tenant admin API on the management port: authentication, validation, audit, and
 * that changes take effect on the public port at once.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class TenantAdminIntegrationTests {

	static final EchoBackend backend = EchoBackend.start();

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		GatewayTestProperties.register(registry);
		registry.add("lean.backend.default-uri", () -> backend.uri().toString());
	}

	@AfterAll
	static void stop() {
		backend.close();
	}

	@LocalManagementPort
	int managementPort;

	@LocalServerPort
	int publicPort;

	WebTestClient admin;

	WebTestClient anonymous;

	String slug;

	@BeforeEach
	void setUp() {
		this.anonymous = WebTestClient.bindToServer()
			.responseTimeout(java.time.Duration.ofSeconds(30))
			.baseUrl("http://127.0.0.1:" + this.managementPort)
			.responseTimeout(Duration.ofSeconds(30))
			.build();
		this.admin = this.anonymous.mutate()
			.defaultHeader("Authorization", "Bearer " + GatewayTestProperties.ADMIN_TOKEN)
			.build();
		this.slug = "org-" + UUID.randomUUID().toString().substring(0, 8);
	}

	@Test
	void putWhenNewThenCreatedAndServedOnThePublicPort() {
		publicGet(this.slug).expectStatus().isNotFound();
		this.admin.put()
			.uri("/admin/tenants/{slug}", this.slug)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("displayName", "Acme Corporation"))
			.exchange()
			.expectStatus()
			.isCreated()
			.expectHeader()
			.valueEquals("Location", "/admin/tenants/" + this.slug)
			.expectBody()
			.jsonPath("$.slug")
			.isEqualTo(this.slug)
			.jsonPath("$.displayName")
			.isEqualTo("Acme Corporation")
			.jsonPath("$.backendUri")
			.isEmpty()
			.jsonPath("$.id")
			.isNotEmpty()
			.jsonPath("$.createdAt")
			.isNotEmpty();
		// the unknown-tenant answer cached a moment ago is gone at once
		publicGet(this.slug).expectStatus().isOk();
		assertThat(backend.last().header("X-Lean-Tenant")).containsExactly(this.slug);
	}

	@Test
	void putWhenExistingThenUpdatedAndAudited() {
		put(this.slug, "{\"displayName\": \"Acme\"}").expectStatus().isCreated();
		put(this.slug,
				"{\"displayName\": \"Acme Corporation\", \"backendUri\": \"https://acme-backend.internal:8443\"}")
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.displayName")
			.isEqualTo("Acme Corporation")
			.jsonPath("$.backendUri")
			.isEqualTo("https://acme-backend.internal:8443");
		this.admin.get()
			.uri("/admin/tenants/{slug}", this.slug)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.backendUri")
			.isEqualTo("https://acme-backend.internal:8443");
		assertThat(TestSchema.count("SELECT count(*) FROM audit_event WHERE tenant_slug = ?", this.slug)).isEqualTo(2);
		assertThat(TestSchema.count(
				"SELECT count(*) FROM audit_event WHERE tenant_slug = ? AND action = 'tenant.updated' "
						+ "AND before->>'displayName' = 'Acme' AND after->>'displayName' = 'Acme Corporation' "
						+ "AND actor LIKE 'token:%' AND actor NOT LIKE ?",
				this.slug, "%" + GatewayTestProperties.ADMIN_TOKEN + "%"))
			.isEqualTo(1);
	}

	@Test
	void deleteWhenExistingThenGoneEverywhereAndAudited() {
		put(this.slug, "{\"displayName\": \"Acme\"}").expectStatus().isCreated();
		publicGet(this.slug).expectStatus().isOk();
		this.admin.delete().uri("/admin/tenants/{slug}", this.slug).exchange().expectStatus().isNoContent();
		this.admin.get().uri("/admin/tenants/{slug}", this.slug).exchange().expectStatus().isNotFound();
		this.admin.delete()
			.uri("/admin/tenants/{slug}", this.slug)
			.exchange()
			.expectStatus()
			.isNotFound()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON);
		publicGet(this.slug).expectStatus().isNotFound();
		assertThat(
				TestSchema.count("SELECT count(*) FROM audit_event WHERE tenant_slug = ? AND action = 'tenant.deleted' "
						+ "AND after IS NULL AND before->>'displayName' = 'Acme'", this.slug))
			.isEqualTo(1);
	}

	@Test
	void getWhenAbsentThenProblem() {
		this.admin.get()
			.uri("/admin/tenants/nobody-here")
			.exchange()
			.expectStatus()
			.isNotFound()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo(404)
			.jsonPath("$.detail")
			.value(containsString("nobody-here"));
	}

	@Test
	void listWhenPagedThenPagesInSlugOrder() {
		String prefix = "zz-" + UUID.randomUUID().toString().substring(0, 6);
		for (int i = 0; i < 3; i++) {
			put(prefix + "-" + i, "{\"displayName\": \"Org " + i + "\"}").expectStatus().isCreated();
		}
		this.admin.get()
			.uri("/admin/tenants?page=0&size=2")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.items.length()")
			.isEqualTo(2)
			.jsonPath("$.page")
			.isEqualTo(0)
			.jsonPath("$.size")
			.isEqualTo(2)
			.jsonPath("$.total")
			.value(total -> assertThat(((Number) total).longValue()).isGreaterThanOrEqualTo(3));
		this.admin.get().uri("/admin/tenants?size=0").exchange().expectStatus().isBadRequest();
		this.admin.get().uri("/admin/tenants?page=x").exchange().expectStatus().isBadRequest();
	}

	@Test
	void requestWhenNoOrWrongTokenThenUnauthorizedProblem() {
		this.anonymous.get()
			.uri("/admin/tenants")
			.exchange()
			.expectStatus()
			.isUnauthorized()
			.expectHeader()
			.valueEquals("WWW-Authenticate", "Bearer realm=\"lean-admin\"")
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON);
		this.anonymous.put()
			.uri("/admin/tenants/{slug}", this.slug)
			.header("Authorization", "Bearer " + GatewayTestProperties.ADMIN_TOKEN + "x")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"displayName\": \"Acme\"}")
			.exchange()
			.expectStatus()
			.isUnauthorized()
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo(401);
		this.anonymous.get()
			.uri("/admin/tenants")
			.header("Authorization", "Basic " + GatewayTestProperties.ADMIN_TOKEN)
			.exchange()
			.expectStatus()
			.isUnauthorized();
		this.admin.get().uri("/admin/tenants/{slug}", this.slug).exchange().expectStatus().isNotFound();
		assertThat(TestSchema.count("SELECT count(*) FROM tenant WHERE slug = ?", this.slug)).isZero();
	}

	@Test
	void putWhenSlugInvalidOrReservedThenUnprocessable() {
		put("Acme", "{\"displayName\": \"Acme\"}").expectStatus()
			.isEqualTo(422)
			.expectBody()
			.jsonPath("$.errors[0].field")
			.isEqualTo("slug");
		put("-acme", "{\"displayName\": \"Acme\"}").expectStatus().isEqualTo(422);
		put("a".repeat(64), "{\"displayName\": \"Acme\"}").expectStatus().isEqualTo(422);
		put("www", "{\"displayName\": \"Acme\"}").expectStatus()
			.isEqualTo(422)
			.expectBody()
			.jsonPath("$.errors[0].message")
			.value(containsString("reserved"));
		put("admin", "{\"displayName\": \"Acme\"}").expectStatus().isEqualTo(422);
	}

	@Test
	void putWhenBodyInvalidThenEveryViolationReportedAndNothingWritten() {
		put(this.slug, "{\"displayName\": \"\", \"backendUri\": \"ftp://files.example\", \"colour\": \"red\"}")
			.expectStatus()
			.isEqualTo(422)
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.errors.length()")
			.isEqualTo(3)
			.jsonPath("$.errors[*].field")
			.value(hasItem("displayName"))
			.jsonPath("$.errors[*].field")
			.value(hasItem("backendUri"))
			.jsonPath("$.errors[*].field")
			.value(hasItem("colour"));
		put(this.slug, "{\"displayName\": \"" + "x".repeat(201) + "\"}").expectStatus().isEqualTo(422);
		put(this.slug, "{\"displayName\": 42}").expectStatus()
			.isEqualTo(422)
			.expectBody()
			.jsonPath("$.errors[0].message")
			.isEqualTo("must be a string");
		put(this.slug, "{\"displayName\": \"Acme\", \"backendUri\": \"/relative\"}").expectStatus().isEqualTo(422);
		put(this.slug, "{\"displayName\": \"Acme\", \"backendUri\": \"http://user:pw@host\"}").expectStatus()
			.isEqualTo(422);
		put(this.slug, "{}").expectStatus().isEqualTo(422);
		put(this.slug, "{\"displayName\": \"Acme\"").expectStatus().isBadRequest();
		put(this.slug, "[\"displayName\"]").expectStatus().isBadRequest();
		put(this.slug, "").expectStatus().isBadRequest();
		put(this.slug, "{\"displayName\": \"A\", \"displayName\": \"B\"}").expectStatus().isBadRequest();
		assertThat(TestSchema.count("SELECT count(*) FROM tenant WHERE slug = ?", this.slug)).isZero();
		assertThat(TestSchema.count("SELECT count(*) FROM audit_event WHERE tenant_slug = ?", this.slug)).isZero();
	}

	@Test
	void managementPortWhenProbedThenHealthAndMetricsOpenAndNoRoutes() {
		this.anonymous.get().uri("/actuator/health/liveness").exchange().expectStatus().isOk();
		this.anonymous.get().uri("/actuator/health/readiness").exchange().expectStatus().isOk();
		this.anonymous.get()
			.uri("/actuator/prometheus")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.value(body -> assertThat(body).contains("cache_gets_total{", "cache=\"lean.tenants\""));
		this.anonymous.get().uri("/actuator/metrics").exchange().expectStatus().isUnauthorized();
		this.admin.get().uri("/reports/1").exchange().expectStatus().isNotFound();
	}

	private WebTestClient.ResponseSpec put(String slug, String body) {
		return this.admin.put()
			.uri("/admin/tenants/{slug}", slug)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(body)
			.exchange();
	}

	private WebTestClient.ResponseSpec publicGet(String slug) {
		return WebTestClient.bindToServer()
			.responseTimeout(java.time.Duration.ofSeconds(30))
			.baseUrl("http://127.0.0.1:" + this.publicPort)
			.build()
			.get()
			.uri("/")
			.header("Host", slug + "." + GatewayTestProperties.BASE_DOMAIN)
			.exchange();
	}

}
