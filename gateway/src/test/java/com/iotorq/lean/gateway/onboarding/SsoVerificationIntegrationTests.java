package com.iotorq.lean.gateway.onboarding;

import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;

import com.iotorq.lean.gateway.test.SignInTestSupport;
import com.jayway.jsonpath.JsonPath;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Verifying the three credentials against a real OIDC provider over HTTP (the Entra
 * imitation), explicitly and automatically when they are saved.
 */
class SsoVerificationIntegrationTests extends SignInTestSupport {

	@Test
	void verifyWhenCredentialsAreRightThenEveryCheckIsOkAndRecorded() {
		Org acme = organisation();
		String body = verify(acme.slug()).getResponseBody();
		assertThat(JsonPath.<Boolean>read(body, "$.ok")).isTrue();
		assertThat(JsonPath.<List<String>>read(body, "$.checks[*].check")).containsExactly("directory", "credentials",
				"redirectUri");
		assertThat(JsonPath.<List<String>>read(body, "$.checks[*].status")).containsExactly("ok", "ok", "info");
		assertThat(JsonPath.<String>read(body, "$.checks[2].value"))
			.isEqualTo("http://" + acme.slug() + ".lean.test/oauth/complete/");
		assertThat(JsonPath.<String>read(body, "$.checks[2].instruction")).contains("trailing slash");
		// a client-credentials request for Graph's .default scope, at the token endpoint
		// from discovery
		var token = entra.requestsTo("/oauth2/v2.0/token").get(0);
		assertThat(token.form("grant_type")).isEqualTo("client_credentials");
		assertThat(token.form("scope")).isEqualTo("https://graph.microsoft.com/.default");
		assertThat(token.path()).isEqualTo("/" + acme.directory().tid() + "/oauth2/v2.0/token");
		assertThat(body).doesNotContain(acme.clientSecret()).doesNotContain("access_token");

		String tenant = tenantJson(acme.slug());
		assertThat(JsonPath.<Boolean>read(tenant, "$.sso.lastVerification.ok")).isTrue();
		assertThat(JsonPath.<Boolean>read(tenant, "$.sso.lastVerification.settingsChangedSince")).isFalse();
		assertThat(JsonPath.<String>read(tenant, "$.sso.lastVerification.verifiedAt")).isNotBlank();
		assertThat(tenant).doesNotContain(acme.clientSecret());
		// the listing and a change of the organisation's name show it too
		assertThat(JsonPath.<Boolean>read(listed(acme.slug()), "$.sso.lastVerification.ok")).isTrue();
		String renamed = okBody(this.admin.put()
			.uri("/admin/tenants/{slug}", acme.slug())
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("displayName", "Acme, renamed")));
		assertThat(JsonPath.<Boolean>read(renamed, "$.sso.lastVerification.ok")).isTrue();
	}

	@Test
	void putWhenTenantIdUnknownThenSavedAndReportSaysTenantIdNotFound() {
		Org acme = organisation();
		Map<String, Object> body = sso(acme);
		body.put("entraTenantId", UUID.randomUUID().toString());
		EntityExchangeResult<String> result = putSso(acme.slug(), body).expectStatus()
			.isOk()
			.expectHeader()
			.valueEquals("X-Lean-Verification", "failed")
			.expectBody(String.class)
			.returnResult();
		String json = result.getResponseBody();
		assertThat(JsonPath.<String>read(json, "$.sso.entraTenantId")).isEqualTo(body.get("entraTenantId"));
		assertThat(JsonPath.<Boolean>read(json, "$.sso.lastVerification.ok")).isFalse();
		assertThat(JsonPath.<String>read(json, "$.sso.lastVerification.checks[0].status")).isEqualTo("failed");
		assertThat(JsonPath.<String>read(json, "$.sso.lastVerification.checks[0].errorCode")).isEqualTo("AADSTS90002");
		assertThat(JsonPath.<String>read(json, "$.sso.lastVerification.checks[0].summary"))
			.isEqualTo("Tenant ID not found");
		assertThat(JsonPath.<String>read(json, "$.sso.lastVerification.checks[0].correlationId")).isNotBlank();
		assertThat(JsonPath.<String>read(json, "$.sso.lastVerification.checks[1].status")).isEqualTo("skipped");
		assertThat(JsonPath.<String>read(json, "$.sso.lastVerification.checks[2].status")).isEqualTo("info");
		assertThat(entra.requestsTo("/oauth2/v2.0/token")).isEmpty();
	}

	@Test
	void verifyWhenClientIdUnknownThenWrongClientIdOrOtherDirectory() {
		Org acme = organisation();
		Map<String, Object> body = sso(acme);
		body.put("clientId", UUID.randomUUID().toString());
		String json = putSso(acme.slug(), body).expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		assertThat(JsonPath.<String>read(json, "$.sso.lastVerification.checks[0].status")).isEqualTo("ok");
		assertThat(JsonPath.<String>read(json, "$.sso.lastVerification.checks[1].status")).isEqualTo("failed");
		assertThat(JsonPath.<String>read(json, "$.sso.lastVerification.checks[1].errorCode")).isEqualTo("AADSTS700016");
		assertThat(JsonPath.<String>read(json, "$.sso.lastVerification.checks[1].instruction"))
			.contains("Client ID is wrong")
			.contains("another directory");
	}

	@Test
	void verifyWhenSecretWrongThenAsksWhetherTheSecretIdWasCopied() {
		Org acme = organisation();
		Map<String, Object> body = sso(acme);
		body.put("clientSecret", "not~the~value~" + UUID.randomUUID());
		String json = putSso(acme.slug(), body).expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		assertThat(JsonPath.<String>read(json, "$.sso.lastVerification.checks[1].errorCode"))
			.isEqualTo("AADSTS7000215");
		assertThat(JsonPath.<String>read(json, "$.sso.lastVerification.checks[1].instruction"))
			.contains("did you copy the Secret ID instead of its Value?");
	}

	@Test
	void verifyWhenSecretExpiredThenSaysExpired() {
		Org acme = organisation();
		acme.app().secretExpired(true);
		String body = verify(acme.slug()).getResponseBody();
		assertThat(JsonPath.<Boolean>read(body, "$.ok")).isFalse();
		assertThat(JsonPath.<String>read(body, "$.checks[1].errorCode")).isEqualTo("AADSTS7000222");
		assertThat(JsonPath.<String>read(body, "$.checks[1].summary")).isEqualTo("Client secret expired");
		assertThat(JsonPath.<Boolean>read(tenantJson(acme.slug()), "$.sso.lastVerification.ok")).isFalse();
	}

	@Test
	void putWhenVerifyFalseThenProviderNotAskedAndLastVerificationMarkedStale() {
		Org acme = organisation();
		Map<String, Object> body = sso(acme);
		body.put("mode", "OPTIONAL");
		this.admin.put()
			.uri("/admin/tenants/{slug}/sso?verify=false", acme.slug())
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(body)
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.doesNotExist("X-Lean-Verification")
			.expectBody()
			.jsonPath("$.sso.mode")
			.isEqualTo("OPTIONAL")
			.jsonPath("$.sso.lastVerification.ok")
			.isEqualTo(true)
			.jsonPath("$.sso.lastVerification.settingsChangedSince")
			.isEqualTo(true);
		assertThat(entra.requests()).isEmpty();
		this.admin.put()
			.uri("/admin/tenants/{slug}/sso?verify=maybe", acme.slug())
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(body)
			.exchange()
			.expectStatus()
			.isBadRequest();
	}

	@Test
	void verifyWhenNoSsoOrNoTenantThenNotFound() {
		this.admin.post().uri("/admin/tenants/{slug}/sso/verify", "no-such-org").exchange().expectStatus().isNotFound();
		this.admin.put()
			.uri("/admin/tenants/{slug}", "plain-org")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("displayName", "Plain"))
			.exchange()
			.expectStatus()
			.is2xxSuccessful();
		this.admin.post()
			.uri("/admin/tenants/{slug}/sso/verify", "plain-org")
			.exchange()
			.expectStatus()
			.isNotFound()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON);
	}

	private EntityExchangeResult<String> verify(String slug) {
		return this.admin.post()
			.uri("/admin/tenants/{slug}/sso/verify", slug)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult();
	}

	/** The organisation as the listing shows it, looked for page by page. */
	private String listed(String slug) {
		for (int page = 0;; page++) {
			String json = okBody(this.admin.get().uri("/admin/tenants?page={page}&size=500", page));
			List<Map<String, Object>> found = JsonPath.read(json, "$.items[?(@.slug == '" + slug + "')]");
			if (!found.isEmpty()) {
				return JsonPath.parse(found.get(0)).jsonString();
			}
			assertThat(JsonPath.<List<Object>>read(json, "$.items")).as("listing of page " + page).isNotEmpty();
		}
	}

	private String tenantJson(String slug) {
		return okBody(this.admin.get().uri("/admin/tenants/{slug}", slug));
	}

	private static Map<String, Object> sso(Org org) {
		Map<String, Object> body = new HashMap<>();
		body.put("provider", "entra");
		body.put("entraTenantId", org.directory().tid());
		body.put("clientId", org.app().clientId());
		body.put("clientSecret", org.clientSecret());
		body.put("clientSecretExpiresAt", LocalDate.now().plusDays(700).toString());
		body.put("mode", "REQUIRED");
		body.put("provisioning", "EXISTING_ONLY");
		return body;
	}

}
