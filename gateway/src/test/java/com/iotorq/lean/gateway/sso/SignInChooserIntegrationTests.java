package com.iotorq.lean.gateway.sso;

import java.time.LocalDate;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.iotorq.lean.gateway.test.SignInTestSupport;
import com.iotorq.lean.gateway.test.TestBrowser;
import com.iotorq.lean.gateway.test.entra.TestEntra;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SSO mode OPTIONAL while an organisation migrates: the backend's own login keeps
 * working, and its password login page offers "Sign in with Microsoft" first.
 */
class SignInChooserIntegrationTests extends SignInTestSupport {

	@Test
	void passwordLoginPageWhenOptionalThenChooserOffersMicrosoftOrPassword() {
		Org acme = optional(organisation());
		TestBrowser.Response chooser = this.browser.get(acme.url("/accounts/login/?next=/reports/7"));
		assertThat(chooser.status()).isEqualTo(200);
		assertThat(chooser.body()).contains("Sign in with Microsoft")
			.contains("href=\"/oauth/login?next=/reports/7\"")
			.contains("Sign in with your ioTORQ LEAN password")
			.contains("action=\"/oauth/choose\"");
		assertThat(backend.received()).isEmpty();

		// choosing the password leads to the backend's own login page, once
		TestBrowser.Response chosen = this.browser.post(acme.url("/oauth/choose"),
				"method=password&next=%2Freports%2F7", Map.of("Origin", "http://" + acme.host() + ":" + this.port));
		assertThat(chosen.status()).isEqualTo(302);
		assertThat(chosen.location()).isEqualTo("/accounts/login/?next=/reports/7");
		assertThat(this.browser.follow(chosen).status()).isEqualTo(200);
		assertThat(backend.last().path()).isEqualTo("/accounts/login/");
		assertThat(this.browser.get(acme.url("/accounts/login/")).body()).contains("Sign in with Microsoft");

		// anonymous requests elsewhere still reach the backend, whose own login works
		this.browser.get(acme.url("/reports/7"));
		assertThat(backend.last().path()).isEqualTo("/reports/7");
		assertThat(backend.last().header("X-Lean-User-Id")).isEmpty();
	}

	@Test
	void chooserWhenMicrosoftChosenThenSignsInAndPasswordPageIsForwarded() {
		Org acme = optional(organisation());
		TestEntra.User ada = person(acme, "Ada Lovelace");
		TestBrowser.Response chooser = this.browser.get(acme.url("/oauth/choose?next=/reports"));
		assertThat(chooser.body()).contains("href=\"/oauth/login?next=/reports\"");
		TestBrowser.Response done = signIn(acme, ada, "/reports");
		assertThat(done.location()).isEqualTo("/reports");
		// signed in: the backend's page is the backend's
		this.browser.get(acme.url("/accounts/login/"));
		assertThat(backend.last().path()).isEqualTo("/accounts/login/");
		assertThat(backend.last().header("X-Lean-User-Email")).containsExactly(ada.email());
	}

	@Test
	void chooserWhenRequiredThenStraightToMicrosoft() {
		Org acme = organisation();
		TestBrowser.Response chooser = this.browser.get(acme.url("/oauth/choose?next=/x"));
		assertThat(chooser.status()).isEqualTo(302);
		assertThat(chooser.location()).isEqualTo("/oauth/login?next=/x");
		TestBrowser.Response login = this.browser.get(acme.url("/accounts/login/"));
		assertThat(login.status()).isEqualTo(302);
		assertThat(login.location()).startsWith("/oauth/login?next=");
		assertThat(backend.received()).isEmpty();
	}

	private Org optional(Org org) {
		putSso(org.slug(),
				Map.of("provider", "entra", "entraTenantId", org.directory().tid(), "clientId", org.app().clientId(),
						"clientSecretExpiresAt", LocalDate.now().plusDays(700).toString(), "mode", "OPTIONAL",
						"provisioning", "EXISTING_ONLY"))
			.expectStatus()
			.isOk();
		entra.clearRequests();
		return org;
	}

}
