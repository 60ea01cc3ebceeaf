package com.iotorq.lean.gateway.admin;

import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import org.springframework.http.MediaType;

import com.iotorq.lean.gateway.test.SignInTestSupport;
import com.iotorq.lean.gateway.test.TestBrowser;
import com.iotorq.lean.gateway.test.TestSchema;
import com.iotorq.lean.gateway.test.entra.TestEntra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;

/**
 * LEAN support enabling SSO with the three credentials of the help article, and the
 * mistakes the admin API catches before anything is stored.
 */
class SsoAdminIntegrationTests extends SignInTestSupport {

	@Test
	void putWhenValidThenSettingsShownWithoutTheSecret() {
		Org acme = organisation();
		this.admin.get()
			.uri("/admin/tenants/{slug}", acme.slug())
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.sso.provider")
			.isEqualTo("entra")
			.jsonPath("$.sso.entraTenantId")
			.isEqualTo(acme.directory().tid())
			.jsonPath("$.sso.clientId")
			.isEqualTo(acme.app().clientId())
			.jsonPath("$.sso.clientSecretSet")
			.isEqualTo(true)
			.jsonPath("$.sso.clientSecretExpiresAt")
			.isEqualTo(LocalDate.now().plusDays(730).toString())
			.jsonPath("$.sso.mode")
			.isEqualTo("REQUIRED");
		String raw = new String(this.admin.get()
			.uri("/admin/tenants/{slug}", acme.slug())
			.exchange()
			.expectBody()
			.returnResult()
			.getResponseBodyContent());
		assertThat(raw).doesNotContain(acme.clientSecret());
		// stored only encrypted, and never in the audit log
		assertThat(TestSchema.count(
				"SELECT count(*) FROM sso_settings WHERE position(convert_to(?, 'UTF8') in client_secret_ciphertext) > 0",
				acme.clientSecret()))
			.isZero();
		assertThat(TestSchema.count(
				"SELECT count(*) FROM audit_event WHERE tenant_slug = ? AND (before::text LIKE ? OR after::text LIKE ?)",
				acme.slug(), "%" + acme.clientSecret() + "%", "%" + acme.clientSecret() + "%"))
			.isZero();
		assertThat(TestSchema.count("SELECT count(*) FROM audit_event WHERE tenant_slug = ? AND action = 'sso.enabled'",
				acme.slug()))
			.isEqualTo(1);
	}

	@Test
	void putWhenCredentialsMalformedThenEveryProblemListedAndNothingStored() {
		String slug = tenant();
		putSso(slug,
				Map.of("provider", "entra", "entraTenantId", "contoso.onmicrosoft.com", "clientId", "my-app",
						"clientSecret", "6f1c1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b", "mode", "ALWAYS", "provisioning",
						"EXISTING_ONLY", "clientSecretExpiresAt", "2020-01-01"))
			.expectStatus()
			.isEqualTo(422)
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.errors[*].field")
			.value(hasItem("entraTenantId"))
			.jsonPath("$.errors[*].field")
			.value(hasItem("clientId"))
			.jsonPath("$.errors[*].field")
			.value(hasItem("clientSecret"))
			.jsonPath("$.errors[*].field")
			.value(hasItem("mode"))
			.jsonPath("$.errors[*].field")
			.value(hasItem("clientSecretExpiresAt"))
			.jsonPath("$.detail")
			.value(containsString("Secret ID rather than its Value"));
		assertThat(TestSchema
			.count("SELECT count(*) FROM sso_settings s JOIN tenant t ON t.id = s.tenant_id WHERE t.slug = ?", slug))
			.isZero();
	}

	@Test
	void putWhenProviderUnknownOrSecretMissingThenUnprocessable() {
		String slug = tenant();
		Map<String, Object> body = valid();
		body.put("provider", "okta");
		putSso(slug, body).expectStatus()
			.isEqualTo(422)
			.expectBody()
			.jsonPath("$.errors[0].field")
			.isEqualTo("provider");
		body = valid();
		body.remove("clientSecret");
		putSso(slug, body).expectStatus()
			.isEqualTo(422)
			.expectBody()
			.jsonPath("$.errors[0].field")
			.isEqualTo("clientSecret");
		putSso("no-such-org", valid()).expectStatus().isNotFound();
	}

	@Test
	void putWhenSecretOmittedOnUpdateThenStoredSecretKept() {
		Org acme = organisation();
		TestEntra.User ada = person(acme, "Ada Lovelace");
		putSso(acme.slug(),
				Map.of("provider", "entra", "entraTenantId", acme.directory().tid(), "clientId", acme.app().clientId(),
						"mode", "REQUIRED", "provisioning", "AUTO_ACTIVATE"))
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.sso.provisioning")
			.isEqualTo("AUTO_ACTIVATE")
			.jsonPath("$.sso.clientSecretExpiresAt")
			.isEqualTo(LocalDate.now().plusDays(730).toString());
		assertThat(signIn(acme, ada, "/").location()).isEqualTo("/");
	}

	@Test
	void putWhenLinkByUsernameGivenThenShownAuditedAndKeptWhenOmitted() {
		Org acme = organisation();
		this.admin.get()
			.uri("/admin/tenants/{slug}", acme.slug())
			.exchange()
			.expectBody()
			.jsonPath("$.sso.linkByUsername")
			.isEqualTo(false);
		Map<String, Object> body = new LinkedHashMap<>(
				Map.of("provider", "entra", "entraTenantId", acme.directory().tid(), "clientId", acme.app().clientId(),
						"mode", "REQUIRED", "provisioning", "EXISTING_ONLY"));
		body.put("linkByUsername", "yes");
		putSso(acme.slug(), body).expectStatus()
			.isEqualTo(422)
			.expectBody()
			.jsonPath("$.errors[0].field")
			.isEqualTo("linkByUsername");
		body.put("linkByUsername", true);
		putSso(acme.slug(), body).expectStatus().isOk().expectBody().jsonPath("$.sso.linkByUsername").isEqualTo(true);
		assertThat(TestSchema.count("SELECT count(*) FROM audit_event WHERE tenant_slug = ? AND action = 'sso.updated' "
				+ "AND (after->>'linkByUsername')::boolean", acme.slug()))
			.isEqualTo(1);
		// a client that does not know the field does not turn it off
		body.remove("linkByUsername");
		putSso(acme.slug(), body).expectStatus().isOk().expectBody().jsonPath("$.sso.linkByUsername").isEqualTo(true);
	}

	@Test
	void deleteWhenSsoOnThenOrganisationForwardedWithoutSignIn() {
		Org acme = organisation();
		TestBrowser.Response before = this.browser.get(acme.url("/page"));
		assertThat(before.status()).isEqualTo(302);
		this.admin.delete().uri("/admin/tenants/{slug}/sso", acme.slug()).exchange().expectStatus().isNoContent();
		TestBrowser.Response after = this.browser.get(acme.url("/page"));
		assertThat(after.status()).isEqualTo(200);
		assertThat(backend.last().header("X-Lean-Tenant")).containsExactly(acme.slug());
		assertThat(backend.last().header("X-Lean-User-Id")).isEmpty();
		this.admin.delete().uri("/admin/tenants/{slug}/sso", acme.slug()).exchange().expectStatus().isNotFound();
	}

	@Test
	void putWhenModeOptionalThenAnonymousForwardedAndSignedInIdentified() {
		Org acme = organisation();
		TestEntra.User ada = person(acme, "Ada Lovelace");
		putSso(acme.slug(), Map.of("provider", "entra", "entraTenantId", acme.directory().tid(), "clientId",
				acme.app().clientId(), "mode", "OPTIONAL", "provisioning", "EXISTING_ONLY"))
			.expectStatus()
			.isOk();
		assertThat(this.browser.get(acme.url("/open")).status()).isEqualTo(200);
		assertThat(backend.last().header("X-Lean-User-Id")).isEmpty();
		signIn(acme, ada, "/");
		this.browser.get(acme.url("/open"));
		assertThat(backend.last().header("X-Lean-User-Email")).containsExactly(ada.email());
	}

	private String tenant() {
		String slug = "sso-" + UUID.randomUUID().toString().substring(0, 8);
		this.admin.put()
			.uri("/admin/tenants/{slug}", slug)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("displayName", "Tenant " + slug))
			.exchange()
			.expectStatus()
			.isCreated();
		return slug;
	}

	private static Map<String, Object> valid() {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("provider", "entra");
		body.put("entraTenantId", UUID.randomUUID().toString());
		body.put("clientId", UUID.randomUUID().toString());
		body.put("clientSecret", "Abc8Q~secret.value_0123456789");
		body.put("clientSecretExpiresAt", LocalDate.now().plusDays(30).toString());
		body.put("mode", "REQUIRED");
		body.put("provisioning", "EXISTING_ONLY");
		return body;
	}

}
