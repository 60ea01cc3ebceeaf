package com.iotorq.lean.gateway.sso;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.iotorq.lean.gateway.test.SignInTestSupport;
import com.iotorq.lean.gateway.test.TestBrowser;
import com.iotorq.lean.gateway.test.entra.TestEntra;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sessions and the attacks around them: fixation, cookies leaking to backends or to other
 * organisations, open redirects, forged callbacks and cross-site sign-out.
 */
class SignInSessionIntegrationTests extends SignInTestSupport {

	private static final String COOKIE = "LEAN_SESSION";

	Org acme;

	TestEntra.User ada;

	@BeforeEach
	void setUpOrganisation() {
		this.acme = organisation();
		this.ada = person(this.acme, "Ada Lovelace");
	}

	@Test
	void signInWhenSessionPlantedBeforehandThenAnotherSessionIsAuthenticated() {
		TestBrowser attacker = new TestBrowser();
		attacker.get(this.acme.url("/oauth/login"));
		String planted = attacker.cookie(this.acme.host(), COOKIE);
		assertThat(planted).isNotBlank();
		this.browser.setCookie(this.acme.host(), COOKIE, planted);

		assertThat(signIn(this.acme, this.ada, "/").location()).isEqualTo("/");
		assertThat(this.browser.cookie(this.acme.host(), COOKIE)).isNotBlank().isNotEqualTo(planted);
		assertThat(this.browser.get(this.acme.url("/mine")).status()).isEqualTo(200);
		TestBrowser.Response attackers = attacker.get(this.acme.url("/mine"));
		assertThat(attackers.status()).isEqualTo(302);
		assertThat(attackers.location()).startsWith("/oauth/login");
	}

	@Test
	void sessionCookieWhenSignedInThenIsHostOnlyHttpOnlyLaxAndNeverReachesTheBackend() {
		entra.signInAs(this.ada);
		TestBrowser.Response callback = this.browser
			.follow(this.browser.follow(this.browser.get(this.acme.url("/oauth/login"))));
		String setCookie = callback.headers()
			.get("set-cookie")
			.stream()
			.filter(c -> c.startsWith(COOKIE + "="))
			.findFirst()
			.orElseThrow();
		assertThat(setCookie).containsIgnoringCase("HttpOnly")
			.contains("SameSite=Lax")
			.doesNotContainIgnoringCase("Domain=");
		this.browser.setCookie(this.acme.host(), "theme", "dark");
		this.browser.get(this.acme.url("/page"));
		String cookies = String.join("; ", backend.last().header("Cookie"));
		assertThat(cookies).contains("theme=dark").doesNotContain(COOKIE);
		assertThat(backend.last().headers().keySet()).noneMatch(name -> name.equalsIgnoreCase("Authorization"));
	}

	@Test
	void sessionWhenPresentedOnAnotherOrganisationsHostThenAnonymousThere() {
		Org globex = organisation();
		signIn(this.acme, this.ada, "/");
		String session = this.browser.cookie(this.acme.host(), COOKIE);
		this.browser.setCookie(globex.host(), COOKIE, session);
		TestBrowser.Response there = this.browser.get(globex.url("/secret"));
		assertThat(there.status()).isEqualTo(302);
		assertThat(there.location()).startsWith("/oauth/login");
		assertThat(backend.received()).isEmpty();
		// and it still works at home
		assertThat(this.browser.get(this.acme.url("/secret")).status()).isEqualTo(200);
	}

	@ParameterizedTest
	@ValueSource(strings = { "//evil.example", "/\\evil.example", "https://evil.example", "/%2F%2Fevil.example",
			"/%5Cevil.example", "http:evil.example", "\t//evil.example", "/\t/evil.example" })
	void signInWhenNextLeavesTheSiteThenLandsOnHome(String next) {
		assertThat(signIn(this.acme, this.ada, next).location()).isEqualTo("/");
	}

	@Test
	void callbackWhenErrorDescriptionCarriesMarkupThenShownInert() {
		entra.signInAs(this.ada);
		TestBrowser.Response login = this.browser.get(this.acme.url("/oauth/login"));
		String state = login.locationParams().get("state");
		String script = "<script>alert('x')</script><a href=\"https://evil.example\">click</a>";
		TestBrowser.Response page = this.browser
			.get(this.acme.url("/oauth/complete/?error=access_denied&error_description="
					+ URLEncoder.encode("AADSTS65004: " + script, StandardCharsets.UTF_8) + "&state="
					+ URLEncoder.encode(state, StandardCharsets.UTF_8)));
		assertThat(page.status()).isEqualTo(401);
		assertThat(page.body()).contains("Sign-in was cancelled")
			.doesNotContain("<script>")
			.doesNotContain("evil.example");
		assertThat(page.header("content-security-policy")).contains("default-src 'none'");
		// without a state the gateway has nothing to match: still a page, nothing echoed
		TestBrowser.Response forged = this.browser
			.get(this.acme.url("/oauth/complete?error=%3Cb%3Ex%3C%2Fb%3E&error_description="
					+ URLEncoder.encode(script, StandardCharsets.UTF_8)));
		assertThat(forged.status()).isEqualTo(400);
		assertThat(forged.body()).doesNotContain("<script>").doesNotContain("<b>x</b>");
	}

	@Test
	void callbackWhenParametersRepeatedOrHugeThenBadRequest() {
		assertThat(this.browser.get(this.acme.url("/oauth/complete/?state=a&state=b&code=c")).status()).isEqualTo(400);
		assertThat(this.browser.get(this.acme.url("/oauth/complete/?code=" + "x".repeat(3000) + "&state=a")).status())
			.isIn(400, 414);
	}

	@Test
	void logoutWhenSameSiteThenSessionEndsHereAndAtTheProvider() {
		signIn(this.acme, this.ada, "/");
		TestBrowser.Response logout = this.browser.post(this.acme.url("/oauth/logout"), "",
				Map.of("Origin", "http://" + this.acme.host() + ":" + this.port, "Sec-Fetch-Site", "same-origin"));
		assertThat(logout.status()).isEqualTo(302);
		assertThat(logout.location())
			.startsWith(entra.authority() + "/" + this.acme.directory().tid() + "/oauth2/v2.0/logout");
		assertThat(logout.locationParams()).containsEntry("post_logout_redirect_uri", this.acme.url("/"))
			.containsKey("id_token_hint");
		TestBrowser.Response after = this.browser.get(this.acme.url("/mine"));
		assertThat(after.status()).isEqualTo(302);
		assertThat(after.location()).startsWith("/oauth/login");
	}

	@Test
	void logoutWhenCrossSiteThenRefusedAndStillSignedIn() {
		signIn(this.acme, this.ada, "/");
		TestBrowser.Response forged = this.browser.post(this.acme.url("/oauth/logout"), "",
				Map.of("Origin", "https://evil.example", "Sec-Fetch-Site", "cross-site"));
		assertThat(forged.status()).isEqualTo(403);
		TestBrowser.Response noFetchMetadata = this.browser.post(this.acme.url("/oauth/logout"), "",
				Map.of("Origin", "https://evil.example"));
		assertThat(noFetchMetadata.status()).isEqualTo(403);
		assertThat(this.browser.get(this.acme.url("/mine")).status()).isEqualTo(200);
	}

	@Test
	void stateChangeWhenFromASiblingOrganisationsPageThenRefusedOnBackendPathsToo() {
		Org globex = organisation();
		signIn(this.acme, this.ada, "/");
		backend.clear();
		// globex's pages are the same site as acme's, so the SameSite=Lax session cookie
		// goes along
		String sibling = "http://" + globex.host() + ":" + this.port;
		assertThat(this.browser
			.post(this.acme.url("/orders"), "amount=1000", Map.of("Origin", sibling, "Sec-Fetch-Site", "same-site"))
			.status()).isEqualTo(403);
		assertThat(this.browser.post(this.acme.url("/orders"), "amount=1000", Map.of("Origin", sibling)).status())
			.isEqualTo(403);
		assertThat(this.browser.post(this.acme.url("/orders"), "amount=1000", Map.of("Sec-Fetch-Site", "same-site"))
			.status()).isEqualTo(403);
		assertThat(backend.received()).isEmpty();

		TestBrowser.Response own = this.browser.post(this.acme.url("/orders"), "amount=1",
				Map.of("Origin", "http://" + this.acme.host() + ":" + this.port, "Sec-Fetch-Site", "same-origin"));
		assertThat(own.status()).isEqualTo(200);
		assertThat(backend.last().method()).isEqualTo("POST");
		assertThat(backend.last().header("X-Lean-User-Email")).containsExactly(this.ada.email());
	}

	@Test
	void logoutPageWhenOpenedThenOffersAFormThatPosts() {
		TestBrowser.Response page = this.browser.get(this.acme.url("/oauth/logout"));
		assertThat(page.status()).isEqualTo(200);
		assertThat(page.body()).contains("method=\"post\" action=\"/oauth/logout\"").contains("Sign out");
	}

}
