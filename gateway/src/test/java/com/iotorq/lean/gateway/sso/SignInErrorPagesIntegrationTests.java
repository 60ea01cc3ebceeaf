package com.iotorq.lean.gateway.sso;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.iotorq.lean.gateway.test.SignInTestSupport;
import com.iotorq.lean.gateway.test.TestBrowser;
import com.iotorq.lean.gateway.test.entra.TestEntra;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What people see when Entra refuses them, as ENTRA.md lists it: what happened, who must
 * act, and the codes support needs. Unknown codes get the generic page with the code
 * shown.
 */
class SignInErrorPagesIntegrationTests extends SignInTestSupport {

	Org acme;

	TestEntra.User ada;

	@BeforeEach
	void setUpOrganisation() {
		this.acme = organisation();
		this.ada = person(this.acme, "Ada Lovelace");
	}

	@Test
	void signInWhenUserNotAssignedThenPageNamesTheEntraAdministrator() {
		this.acme.app().requireAssignment(true);
		TestEntra.User bob = this.acme.directory()
			.addUser(UUID.randomUUID().toString(), "bob@" + this.acme.slug() + ".example", "Bob");
		account(this.acme, bob.email(), "ACTIVE");
		TestBrowser.Response page = signIn(this.acme, bob, "/");
		assertThat(page.status()).isEqualTo(403);
		assertThat(page.body()).contains("You are not assigned to ioTORQ LEAN", "AADSTS50105",
				"Your organisation&#39;s identity administrator", "Users and groups", "Correlation ID");
	}

	@Test
	void signInWhenConsentMissingThenPageExplainsAdminConsent() {
		this.acme.app().requireAdminConsent(true);
		TestBrowser.Response page = signIn(this.acme, this.ada, "/");
		assertThat(page.status()).isEqualTo(403);
		assertThat(page.body()).contains("Consent has not been granted", "AADSTS65001", "/oauth/admin-consent");
	}

	@Test
	void signInWhenSecretWrongThenPageSendsToLeanSupport() {
		putSso(this.acme.slug(),
				Map.of("provider", "entra", "entraTenantId", this.acme.directory().tid(), "clientId",
						this.acme.app().clientId(), "clientSecret", "not-the-secret-value", "mode", "REQUIRED",
						"provisioning", "EXISTING_ONLY"))
			.expectStatus()
			.isOk();
		TestBrowser.Response page = signIn(this.acme, this.ada, "/");
		assertThat(page.body()).contains("SSO credentials are wrong", "AADSTS7000215", "LEAN support",
				"Value (not its Secret ID)");
	}

	@Test
	void signInWhenSecretExpiredThenPageAsksForANewSecret() {
		this.acme.app().secretExpired(true);
		TestBrowser.Response page = signIn(this.acme, this.ada, "/");
		assertThat(page.body()).contains("SSO credentials have expired", "AADSTS7000222",
				"Entra administrator must create a new client secret");
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|',
			textBlock = """
					access_denied    | AADSTS65004: User declined to consent to access the app.    | Sign-in was cancelled       | AADSTS65004
					access_denied    | The user cancelled.                                           | Sign-in was cancelled       |
					invalid_request  | AADSTS90094: Admin approval is required.                      | An administrator must approve | AADSTS90094
					access_denied    | AADSTS99999: Something Microsoft added later.                 | Microsoft could not sign you in | AADSTS99999
					temporarily_unavailable | The server is busy.                                    | Sign-in failed              | temporarily_unavailable
					""")
	void callbackWhenProviderReportsAnErrorThenMatchingPage(String error, String description, String title,
			String code) {
		entra.signInAs(this.ada);
		String state = this.browser.get(this.acme.url("/oauth/login")).locationParams().get("state");
		TestBrowser.Response page = this.browser
			.get(this.acme.url("/oauth/complete/?error=" + error + "&error_description="
					+ URLEncoder.encode(
							description + "\r\nTrace ID: 1\r\nCorrelation ID: 0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0",
							StandardCharsets.UTF_8)
					+ "&state=" + URLEncoder.encode(state, StandardCharsets.UTF_8)));
		assertThat(page.body()).contains(title).contains("Sign in again");
		if (code != null) {
			assertThat(page.body()).contains(code);
		}
		assertThat(page.body()).doesNotContain("Something Microsoft added later").doesNotContain("The server is busy");
	}

	@Test
	void signInWhenProviderHangsThenErrorPageWellWithinTenSeconds() {
		Org slow = organisation();
		TestEntra.User grace = person(slow, "Grace Hopper");
		entra.delay(Duration.ofSeconds(30));
		long started = System.nanoTime();
		TestBrowser.Response page = this.browser.get(slow.url("/oauth/login"));
		Duration took = Duration.ofNanos(System.nanoTime() - started);
		entra.delay(Duration.ZERO);
		assertThat(took).isLessThan(Duration.ofSeconds(10));
		assertThat(page.status()).isEqualTo(503);
		assertThat(page.body()).contains("Sign-in service unavailable");
		assertThat(grace).isNotNull();
	}

	@Test
	void loginWhenOrganisationHasNoSsoThenPageSaysSo() {
		this.admin.put()
			.uri("/admin/tenants/{slug}", "plain-" + this.acme.slug().substring(4))
			.contentType(org.springframework.http.MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("displayName", "Plain"))
			.exchange()
			.expectStatus()
			.isCreated();
		TestBrowser.Response page = this.browser
			.get("http://plain-" + this.acme.slug().substring(4) + ".lean.test:" + this.port + "/oauth/login");
		assertThat(page.status()).isEqualTo(404);
		assertThat(page.body()).contains("Single sign-on is not set up");
	}

}
