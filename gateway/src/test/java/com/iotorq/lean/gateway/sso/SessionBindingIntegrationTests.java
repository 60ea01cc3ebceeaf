package com.iotorq.lean.gateway.sso;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.http.MediaType;

import com.iotorq.lean.gateway.test.SignInTestSupport;
import com.iotorq.lean.gateway.test.TestBrowser;
import com.iotorq.lean.gateway.test.entra.TestEntra;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sessions follow the organisation: changing who may sign in (the directory, the app
 * registration, the allowed groups) or deleting the organisation ends the sessions signed
 * in under the old settings at once; other SSO changes leave them alone. The re-check
 * interval is the default minute here, so nothing but the binding can end them within
 * these tests.
 */
class SessionBindingIntegrationTests extends SignInTestSupport {

	Org acme;

	TestEntra.User ada;

	@BeforeEach
	void signInToAnOrganisation() {
		this.acme = organisation();
		this.ada = person(this.acme, "Ada Lovelace");
		assertThat(signIn(this.acme, this.ada, "/").location()).isEqualTo("/");
		assertSignedIn();
	}

	@Test
	void directoryChangedThenSessionEnds() {
		changeSso(Map.of("entraTenantId", UUID.randomUUID().toString()));
		assertSignedOut();
	}

	@Test
	void clientIdChangedThenSessionEnds() {
		changeSso(Map.of("clientId", UUID.randomUUID().toString()));
		assertSignedOut();
	}

	@Test
	void allowedGroupsChangedThenSessionEndsButNotForTheSameGroupsInAnotherOrder() {
		String engineers = UUID.randomUUID().toString();
		String auditors = UUID.randomUUID().toString();
		changeSso(Map.of("allowedGroups", List.of(engineers, auditors)));
		assertSignedOut();

		entra.tamperNextIdToken(claims -> claims.claim("groups", List.of(engineers)).build());
		TestBrowser.Response login = this.browser.get(this.acme.url("/oauth/login?next=/"));
		assertThat(this.browser.follow(this.browser.follow(login)).location()).isEqualTo("/");
		assertSignedIn();
		changeSso(Map.of("allowedGroups", List.of(auditors, engineers)));
		assertSignedIn();
	}

	@Test
	void secretModeProvisioningOrExpiryChangedThenSessionStays() {
		changeSso(Map.of("clientSecret", "n3w~" + UUID.randomUUID().toString().replace("-", "")));
		assertSignedIn();
		changeSso(Map.of("provisioning", "AUTO_ACTIVATE", "clientSecretExpiresAt", "2099-01-01"));
		assertSignedIn();
		// the same list again changes nothing
		changeSso(Map.of("allowedGroups", List.of()));
		assertSignedIn();
		changeSso(Map.of("mode", "OPTIONAL"));
		// anonymous requests pass too in OPTIONAL mode: the identity headers show the
		// session is alive
		assertThat(this.browser.get(this.acme.url("/mine")).status()).isEqualTo(200);
		assertThat(backend.last().header("X-Lean-User-Email")).containsExactly(this.ada.email());
	}

	@Test
	void organisationDeletedAndCreatedAgainUnderTheSameSlugThenOldSessionNotHonoured() {
		String oldSession = this.browser.cookie(this.acme.host(), "LEAN_SESSION");
		this.admin.delete().uri("/admin/tenants/{slug}", this.acme.slug()).exchange().expectStatus().isNoContent();
		// the same slug, directory, app registration and person: only the organisation is
		// new
		this.admin.put()
			.uri("/admin/tenants/{slug}", this.acme.slug())
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("displayName", "Acme again"))
			.exchange()
			.expectStatus()
			.isCreated();
		putSso(this.acme.slug(),
				Map.of("provider", "entra", "entraTenantId", this.acme.directory().tid(), "clientId",
						this.acme.app().clientId(), "clientSecret", this.acme.clientSecret(), "mode", "REQUIRED",
						"provisioning", "EXISTING_ONLY"))
			.expectStatus()
			.isOk();
		account(this.acme, this.ada.email(), "ACTIVE");

		assertSignedOut();
		TestBrowser replay = new TestBrowser();
		replay.setCookie(this.acme.host(), "LEAN_SESSION", oldSession);
		assertThat(replay.get(this.acme.url("/mine")).status()).isEqualTo(302);
		// signing in again works, with a session of the new organisation
		assertThat(signIn(this.acme, this.ada, "/").location()).isEqualTo("/");
		assertSignedIn();
	}

	/**
	 * Changes the SSO settings through the admin API, keeping every field the change does
	 * not name.
	 */
	private void changeSso(Map<String, ?> changes) {
		Map<String, Object> body = new HashMap<>(
				Map.of("provider", "entra", "entraTenantId", this.acme.directory().tid(), "clientId",
						this.acme.app().clientId(), "mode", "REQUIRED", "provisioning", "EXISTING_ONLY"));
		body.putAll(changes);
		this.admin.put()
			.uri("/admin/tenants/{slug}/sso?verify=false", this.acme.slug())
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(body)
			.exchange()
			.expectStatus()
			.isOk();
	}

	private void assertSignedIn() {
		TestBrowser.Response page = this.browser.get(this.acme.url("/mine"));
		assertThat(page.status()).isEqualTo(200);
		assertThat(backend.last().header("X-Lean-User-Email")).containsExactly(this.ada.email());
	}

	private void assertSignedOut() {
		backend.clear();
		TestBrowser.Response page = this.browser.get(this.acme.url("/mine"));
		assertThat(page.status()).isEqualTo(302);
		assertThat(page.location()).startsWith("/oauth/login");
		TestBrowser.Response api = this.browser.get(this.acme.url("/api/things"), Map.of("Accept", "application/json"));
		assertThat(api.status()).isEqualTo(401);
		assertThat(api.header("content-type")).startsWith("application/problem+json");
		assertThat(backend.received()).isEmpty();
	}

}
