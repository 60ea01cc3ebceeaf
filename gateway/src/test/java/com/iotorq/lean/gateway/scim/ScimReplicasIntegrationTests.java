package com.iotorq.lean.gateway.scim;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import com.iotorq.lean.gateway.test.EchoBackend;
import com.iotorq.lean.gateway.test.GatewayInstances;
import com.iotorq.lean.gateway.test.GatewayTestProperties;
import com.iotorq.lean.gateway.test.TestBrowser;
import com.iotorq.lean.gateway.test.entra.TestEntra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two gateway instances on one PostgreSQL and one Redis, with the account re-check
 * interval at its default (60 s): a person signed in through one and deactivated through
 * SCIM on the other is sent to sign in on both within 5 seconds, by the account change
 * notification, not the interval.
 */
class ScimReplicasIntegrationTests {

	static final TestEntra entra = TestEntra.start();

	static final EchoBackend backend = EchoBackend.start();

	static final int firstPort = GatewayInstances.freePort();

	static ConfigurableApplicationContext first;

	static ConfigurableApplicationContext second;

	@BeforeAll
	static void startTwoInstances() {
		first = start(firstPort);
		second = start(0);
	}

	@AfterAll
	static void stop() {
		GatewayInstances.stop(first, second);
		entra.close();
		backend.close();
	}

	@Test
	void deactivatedThroughScimOnOneInstanceThenSessionsEndOnBothWithinFiveSeconds() {
		String slug = "scim-" + UUID.randomUUID().toString().substring(0, 8);
		String host = slug + "." + GatewayTestProperties.BASE_DOMAIN;
		String secret = "secret-" + UUID.randomUUID();
		TestEntra.Directory directory = entra.directory(UUID.randomUUID().toString());
		TestEntra.App app = directory.registerApp(UUID.randomUUID().toString(), secret,
				"http://" + host + ":" + firstPort + "/oauth/complete/");
		WebTestClient admin = GatewayInstances.admin(first);
		admin.put()
			.uri("/admin/tenants/{slug}", slug)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("displayName", "Provisioned"))
			.exchange()
			.expectStatus()
			.isCreated();
		admin.put()
			.uri("/admin/tenants/{slug}/sso", slug)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("provider", "entra", "entraTenantId", directory.tid(), "clientId", app.clientId(),
					"clientSecret", secret, "mode", "REQUIRED", "provisioning", "EXISTING_ONLY"))
			.exchange()
			.expectStatus()
			.isOk();
		String token = JsonMapper.builder()
			.build()
			.readTree(admin.post()
				.uri("/admin/tenants/{slug}/scim/token", slug)
				.exchange()
				.expectStatus()
				.isCreated()
				.expectBody(String.class)
				.returnResult()
				.getResponseBody())
			.path("token")
			.asString();

		TestEntra.User ada = directory.addUser(UUID.randomUUID().toString(), "ada@" + slug + ".example",
				"Ada Lovelace");
		app.assign(ada);
		EntraProvisioningClient onFirst = new EntraProvisioningClient(host, firstPort, token);
		EntraProvisioningClient.Reply created = onFirst.post("/Users", """
				{"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "externalId": "%s", "userName": "%s",
				 "active": true, "displayName": "Ada Lovelace"}""".formatted(ada.oid(), ada.email()));
		assertThat(created.status()).as(created.body()).isEqualTo(201);
		String id = created.json().path("id").asString();

		TestBrowser browser = new TestBrowser();
		entra.signInAs(ada);
		TestBrowser.Response done = browser
			.follow(browser.follow(browser.get("http://" + host + ":" + firstPort + "/oauth/login?next=/home")));
		assertThat(done.location()).as(done.body()).isEqualTo("/home");
		String onSecondHome = "http://" + host + ":" + GatewayInstances.port(second) + "/home";
		assertThat(browser.get(onSecondHome).status()).isEqualTo(200);
		assertThat(browser.get("http://" + host + ":" + firstPort + "/home").status()).isEqualTo(200);

		Instant deactivated = Instant.now();
		EntraProvisioningClient.Reply patched = new EntraProvisioningClient(host, GatewayInstances.port(second), token)
			.patch("/Users/" + id, """
					{"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
					 "Operations": [{"op": "Replace", "path": "active", "value": "False"}]}""");
		assertThat(patched.status()).as(patched.body()).isEqualTo(200);

		await().atMost(Duration.ofSeconds(5))
			.pollInterval(Duration.ofMillis(100))
			.until(() -> browser.get("http://" + host + ":" + firstPort + "/home").status() == 302);
		assertThat(Duration.between(deactivated, Instant.now())).isLessThan(Duration.ofSeconds(5));
		TestBrowser.Response elsewhere = browser.get(onSecondHome);
		assertThat(elsewhere.status()).isEqualTo(302);
		assertThat(elsewhere.location()).startsWith("/oauth/login");
	}

	private static ConfigurableApplicationContext start(int port) {
		return GatewayInstances.start("--server.port=" + port, "--lean.session.store=redis",
				"--lean.backend.default-uri=" + backend.uri(), "--lean.sso.entra.authority=" + entra.authority(),
				"--lean.sso.sign-in-rate-limit=100000", "--lean.sso.jwks-refresh-interval=1s",
				"--spring.r2dbc.pool.max-size=5");
	}

}
