package com.iotorq.lean.gateway.sso;

import java.net.URI;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.test.context.TestPropertySource;

import com.iotorq.lean.gateway.test.SignInTestSupport;
import com.iotorq.lean.gateway.test.TestBrowser;
import com.iotorq.lean.gateway.test.entra.TestEntra;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Behind a TLS-terminating ingress the gateway learns its public scheme and host from
 * {@code X-Forwarded-*}, but only from the trusted proxy's address (here: loopback).
 */
@TestPropertySource(properties = "lean.gateway.trusted-proxies=127\\.0\\.0\\.1")
class ForwardedHeadersIntegrationTests extends SignInTestSupport {

	@Test
	void loginWhenBehindTrustedIngressThenHttpsRedirectUriAndHostPrefixedSecureCookie() {
		Org acme = organisation();
		TestBrowser.Response login = this.browser.get(acme.url("/oauth/login"), https(acme));
		assertThat(login.locationParams()).containsEntry("redirect_uri", "https://" + acme.host() + "/oauth/complete/");
		assertThat(login.headers().get("set-cookie")).anySatisfy(cookie -> assertThat(cookie).startsWith("__Host-LEAN_SESSION=")
			.containsIgnoringCase("; Secure")
			.contains("; Path=/;")
			.doesNotContainIgnoringCase("Domain="))
			.noneSatisfy(cookie -> assertThat(cookie).startsWith("LEAN_SESSION="));
		this.browser.get(acme.url("/page"), Map.of("X-Forwarded-Proto", "https", "X-Forwarded-Host", acme.host()));
	}

	@Test
	void sessionWhenHttpsThenOnlyTheHostPrefixedCookieCounts() {
		Org acme = organisation();
		TestEntra.User ada = person(acme, "Ada Lovelace");
		TestBrowser.Response callback = signInOverHttps(acme, ada);
		assertThat(callback.status()).isEqualTo(302);
		List<String> setCookies = callback.headers().get("set-cookie");
		assertThat(setCookies).anySatisfy(cookie -> assertThat(cookie).startsWith("__Host-LEAN_SESSION=")
			.containsIgnoringCase("; Secure")
			.containsIgnoringCase("HttpOnly")
			.contains("; Path=/;")
			.doesNotContainIgnoringCase("Domain="))
			.noneSatisfy(cookie -> assertThat(cookie).startsWith("LEAN_SESSION="));
		String session = this.browser.cookie(acme.host(), "__Host-LEAN_SESSION");
		assertThat(this.browser.get(acme.url("/mine"), https(acme)).status()).isEqualTo(200);
		assertThat(backend.last().header("Cookie")).isEmpty();

		// a sibling subdomain reached over http can plant LEAN_SESSION for the whole site: over https it is not read
		TestBrowser planted = new TestBrowser();
		planted.setCookie(acme.host(), "LEAN_SESSION", session);
		TestBrowser.Response anonymous = planted.get(acme.url("/mine"), https(acme));
		assertThat(anonymous.status()).isEqualTo(302);
		assertThat(anonymous.location()).startsWith("/oauth/login");
	}

	@Test
	void stateChangeWhenSameOriginBehindTheIngressThenForwardedAndFromElsewhereRefused() {
		Org acme = organisation();
		this.admin.delete().uri("/admin/tenants/{slug}/sso", acme.slug()).exchange().expectStatus().isNoContent();
		String own = "https://" + acme.host();
		assertThat(this.browser.post(acme.url("/orders"), "a=1", with(https(acme), "Origin", own, "Sec-Fetch-Site", "same-origin"))
			.status()).isEqualTo(200);
		assertThat(backend.last().method()).isEqualTo("POST");
		assertThat(this.browser
			.post(acme.url("/orders"), "a=1",
					Map.of("X-Forwarded-Proto", "https", "X-Forwarded-Host", acme.host() + ":8443", "Origin", own + ":8443"))
			.status()).isEqualTo(200);
		backend.clear();

		String sibling = "https://" + acme.host().replace(acme.slug(), "globex");
		for (String origin : List.of(sibling, "http://" + acme.host(), own + ":8443")) {
			assertThat(this.browser.post(acme.url("/orders"), "a=1", with(https(acme), "Origin", origin)).status()).as(origin)
				.isEqualTo(403);
		}
		assertThat(backend.received()).isEmpty();
	}

	@Test
	void forwardedHostWhenNamingAnotherOrganisationThenThatOneIsResolved() {
		Org acme = organisation();
		Org globex = organisation();
		this.admin.delete().uri("/admin/tenants/{slug}/sso", globex.slug()).exchange().expectStatus().isNoContent();
		this.browser.get(acme.url("/x"), Map.of("X-Forwarded-Host", globex.host()));
		// the ingress is trusted to say which host the browser asked for
		assertThat(backend.last().header("X-Lean-Tenant")).containsExactly(globex.slug());
	}

	/** What the ingress adds to a browser's https request for the organisation. */
	private static Map<String, String> https(Org org) {
		return Map.of("X-Forwarded-Proto", "https", "X-Forwarded-Host", org.host(), "X-Forwarded-Port", "443");
	}

	private static Map<String, String> with(Map<String, String> headers, String... more) {
		Map<String, String> all = new java.util.LinkedHashMap<>(headers);
		for (int i = 0; i < more.length; i += 2) {
			all.put(more[i], more[i + 1]);
		}
		return all;
	}

	/**
	 * Signs in as a browser at {@code https://<org host>/} would, through the ingress: the
	 * provider's redirect back to the https address goes to the gateway's port with the
	 * ingress's headers.
	 */
	private TestBrowser.Response signInOverHttps(Org org, TestEntra.User user) {
		entra.signInAs(user);
		TestBrowser.Response login = this.browser.get(org.url("/oauth/login?next=/"), https(org));
		TestBrowser.Response authorize = this.browser.follow(login);
		URI back = URI.create(authorize.location());
		assertThat(back.getScheme() + "://" + back.getHost()).isEqualTo("https://" + org.host());
		return this.browser.get(org.url(back.getRawPath() + "?" + back.getRawQuery()), https(org));
	}

}
