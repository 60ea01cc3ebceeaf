package com.iotorq.lean.gateway.audit;

import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;

import com.iotorq.lean.gateway.test.SignInTestSupport;
import com.iotorq.lean.gateway.test.TestSchema;
import com.iotorq.lean.gateway.test.entra.TestEntra;
import com.jayway.jsonpath.JsonPath;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every sign-in attempt lands in the sign-in audit with its precise outcome, readable
 * through the admin API, never with a token.
 */
class SignInAuditIntegrationTests extends SignInTestSupport {

	@Autowired
	SignInEventRepository events;

	@Test
	void signInWhenSuccessfulThenRecordedWithAccountAndTokenId() {
		Org acme = organisation();
		TestEntra.User ada = person(acme, "Ada Lovelace");
		signIn(acme, ada, "/");
		Map<String, Object> row = latest(acme);
		assertThat(row).containsEntry("success", true)
			.containsEntry("reason", "signed_in")
			.containsEntry("email", ada.email())
			.containsEntry("idpObjectId", ada.oid());
		assertThat(row.get("accountId")).isNotNull();
		assertThat(row.get("idpTokenId")).isNotNull();
		assertThat(row.get("occurredAt")).isNotNull();
	}

	@Test
	void signInWhenIdTokenFailsACheckThenRecordedWhichCheck() {
		Org acme = organisation();
		TestEntra.User ada = person(acme, "Ada Lovelace");
		Map<String, String> tampered = Map.of("iss", "https://evil.example/v2.0", "aud", UUID.randomUUID().toString(),
				"tid", UUID.randomUUID().toString(), "nonce", "replayed");
		for (Map.Entry<String, String> claim : tampered.entrySet()) {
			entra.tamperNextIdToken(claims -> claims.claim(claim.getKey(), claim.getValue()).build());
			this.browser.clearCookies();
			assertThat(signIn(acme, ada, "/").status()).isEqualTo(401);
			Map<String, Object> row = latest(acme);
			assertThat(row).containsEntry("success", false).containsEntry("reason", "id_token_rejected");
			assertThat((String) row.get("detail")).as(claim.getKey()).startsWith(claim.getKey());
		}
		entra.nextIdTokenSigning(TestEntra.Signing.WRONG_KEY);
		this.browser.clearCookies();
		signIn(acme, ada, "/");
		assertThat((String) latest(acme).get("detail")).startsWith("signature");
		assertThat(
				TestSchema.count("SELECT count(*) FROM sign_in_event WHERE detail LIKE '%eyJ%' OR email LIKE '%eyJ%'"))
			.isZero();
	}

	@Test
	void signInWhenProviderRefusesThenRecordedWithCodeAndCorrelationId() {
		Org acme = organisation();
		acme.app().requireAssignment(true);
		TestEntra.User bob = acme.directory()
			.addUser(UUID.randomUUID().toString(), "bob@" + acme.slug() + ".example", "Bob");
		signIn(acme, bob, "/");
		Map<String, Object> row = latest(acme);
		assertThat(row).containsEntry("reason", "idp_error").containsEntry("errorCode", "AADSTS50105");
		assertThat((String) row.get("correlationId")).matches("[0-9a-f-]{36}");
	}

	@Test
	void signInWhenRefusedByLeanThenRecordedWhy() {
		Org acme = organisation();
		TestEntra.User stranger = acme.directory()
			.addUser(UUID.randomUUID().toString(), "eve@" + acme.slug() + ".example", "Eve");
		acme.app().assign(stranger);
		signIn(acme, stranger, "/");
		assertThat(latest(acme)).containsEntry("reason", "no_account").containsEntry("email", stranger.email());

		TestEntra.User ada = person(acme, "Ada Lovelace");
		account(acme, ada.email(), "DISABLED");
		this.browser.clearCookies();
		signIn(acme, ada, "/");
		Map<String, Object> disabled = latest(acme);
		assertThat(disabled).containsEntry("reason", "account_disabled").containsEntry("email", ada.email());
		assertThat(disabled.get("accountId")).isNotNull();

		account(acme, ada.email(), "ACTIVE");
		putSso(acme.slug(),
				Map.of("provider", "entra", "entraTenantId", acme.directory().tid(), "clientId", acme.app().clientId(),
						"clientSecretExpiresAt", LocalDate.now().plusDays(700).toString(), "mode", "REQUIRED",
						"provisioning", "EXISTING_ONLY", "allowedGroups", List.of(UUID.randomUUID().toString())))
			.expectStatus()
			.isOk();
		entra.tamperNextIdToken(claims -> claims.claim("groups", List.of(UUID.randomUUID().toString())).build());
		this.browser.clearCookies();
		signIn(acme, ada, "/");
		assertThat(latest(acme)).containsEntry("reason", "not_in_group").containsEntry("email", ada.email());
	}

	@Test
	void signinsWhenListedThenNewestFirstLimitedAndFilteredByEmail() {
		Org acme = organisation();
		TestEntra.User ada = person(acme, "Ada Lovelace");
		TestEntra.User grace = person(acme, "Grace Hopper");
		signIn(acme, ada, "/");
		this.browser.clearCookies();
		signIn(acme, grace, "/");
		String both = signins(acme, "?limit=50");
		assertThat(JsonPath.<List<String>>read(both, "$.items[*].email")).containsExactly(grace.email(), ada.email());
		assertThat(JsonPath.<List<String>>read(signins(acme, "?limit=1"), "$.items[*].email"))
			.containsExactly(grace.email());
		assertThat(
				JsonPath.<List<String>>read(signins(acme, "?email=" + ada.email().toUpperCase()), "$.items[*].email"))
			.containsExactly(ada.email());
		for (String limit : List.of("0", "501", "x")) {
			this.admin.get()
				.uri("/admin/tenants/{slug}/signins?limit=" + limit, acme.slug())
				.exchange()
				.expectStatus()
				.isBadRequest()
				.expectHeader()
				.contentType(MediaType.APPLICATION_PROBLEM_JSON);
		}
		this.admin.get().uri("/admin/tenants/{slug}/signins", "no-such-org").exchange().expectStatus().isNotFound();
	}

	@Test
	void pruneWhenOlderThanRetentionThenDeleted() {
		Org acme = organisation();
		TestEntra.User ada = person(acme, "Ada Lovelace");
		signIn(acme, ada, "/");
		TestSchema.execute(
				"INSERT INTO sign_in_event (tenant_id, occurred_at, outcome, reason) "
						+ "SELECT id, now() - interval '91 days', 'FAILURE', 'no_account' FROM tenant WHERE slug = ?",
				acme.slug());
		assertThat(this.events.prune(Duration.ofDays(90)).block()).isGreaterThanOrEqualTo(1);
		assertThat(TestSchema.count(
				"SELECT count(*) FROM sign_in_event e JOIN tenant t ON t.id = e.tenant_id " + "WHERE t.slug = ?",
				acme.slug()))
			.isEqualTo(1);
	}

	private String signins(Org org, String query) {
		return this.admin.get()
			.uri("/admin/tenants/" + org.slug() + "/signins" + query)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
	}

	private Map<String, Object> latest(Org org) {
		return JsonPath.read(signins(org, "?limit=1"), "$.items[0]");
	}

}
