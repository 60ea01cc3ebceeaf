package com.iotorq.lean.gateway.sso;

import java.net.URI;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.test.context.TestPropertySource;

import com.iotorq.lean.gateway.test.EchoBackend;
import com.iotorq.lean.gateway.test.SignInTestSupport;
import com.iotorq.lean.gateway.test.TestBrowser;
import com.iotorq.lean.gateway.test.entra.TestEntra;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Behind a TLS-terminating ingress the gateway learns its public scheme and host from
 * {@code X-Forwarded-*}, but only from the trusted proxy's address (here: loopback), and
 * only {@code X-Forwarded-Proto/-Host/-Port/-For}: {@code Forwarded} and
 * {@code X-Forwarded-Prefix}, which ingress-nginx passes from the client unchanged, are
 * removed and never change the path. The client address is the right-most
 * {@code X-Forwarded-For} entry that is not a trusted proxy.
 */
@TestPropertySource(properties = { "lean.gateway.trusted-proxies=127\\.0\\.0\\.1", "lean.sso.sign-in-rate-limit=3" })
class ForwardedHeadersIntegrationTests extends SignInTestSupport {

	@Test
	void loginWhenBehindTrustedIngressThenHttpsRedirectUriAndHostPrefixedSecureCookie() {
		Org acme = organisation();
		TestBrowser.Response login = this.browser.get(acme.url("/oauth/login"), https(acme));
		assertThat(login.locationParams()).containsEntry("redirect_uri", "https://" + acme.host() + "/oauth/complete/");
		assertThat(login.headers().get("set-cookie"))
			.anySatisfy(cookie -> assertThat(cookie).startsWith("__Host-LEAN_SESSION=")
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
		assertThat(setCookies)
			.anySatisfy(cookie -> assertThat(cookie).startsWith("__Host-LEAN_SESSION=")
				.containsIgnoringCase("; Secure")
				.containsIgnoringCase("HttpOnly")
				.contains("; Path=/;")
				.doesNotContainIgnoringCase("Domain="))
			.noneSatisfy(cookie -> assertThat(cookie).startsWith("LEAN_SESSION="));
		String session = this.browser.cookie(acme.host(), "__Host-LEAN_SESSION");
		assertThat(this.browser.get(acme.url("/mine"), https(acme)).status()).isEqualTo(200);
		assertThat(backend.last().header("Cookie")).isEmpty();

		// a sibling subdomain reached over http can plant LEAN_SESSION for the whole
		// site: over https it is not read
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
		assertThat(this.browser
			.post(acme.url("/orders"), "a=1", with(https(acme), "Origin", own, "Sec-Fetch-Site", "same-origin"))
			.status()).isEqualTo(200);
		assertThat(backend.last().method()).isEqualTo("POST");
		assertThat(this.browser
			.post(acme.url("/orders"), "a=1", Map.of("X-Forwarded-Proto", "https", "X-Forwarded-Host",
					acme.host() + ":8443", "Origin", own + ":8443"))
			.status()).isEqualTo(200);
		backend.clear();

		String sibling = "https://" + acme.host().replace(acme.slug(), "globex");
		for (String origin : List.of(sibling, "http://" + acme.host(), own + ":8443")) {
			assertThat(this.browser.post(acme.url("/orders"), "a=1", with(https(acme), "Origin", origin)).status())
				.as(origin)
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

	@Test
	void prefixWhenOnGatewayOrPublicPathThenTheBackendReceivesTheTruePath() {
		Org acme = organisation();
		for (String path : List.of("/oauth/x", "/robots.txt", "/favicon.ico")) {
			backend.clear();
			this.browser.get(acme.url(path),
					Map.of("X-Forwarded-Prefix", "/api/reports", "X-Forwarded-For", "198.51.100.20"));
			assertThat(backend.received()).as(path).allSatisfy(received -> {
				assertThat(received.path()).isEqualTo(path);
				assertThat(received.header("X-Forwarded-Prefix")).isEmpty();
				assertThat(received.header("X-Lean-User-Id")).isEmpty();
			});
			if (!path.startsWith("/oauth")) {
				// the public paths do reach the backend, as themselves
				assertThat(backend.received()).as(path).hasSize(1);
			}
		}
	}

	@Test
	void oauthPathWhenNotASignInEndpointThenItNeedsASessionLikeAnyPath() {
		Org acme = organisation();
		TestEntra.User ada = person(acme, "Ada Oauth");
		backend.clear();
		TestBrowser.Response anonymous = this.browser.get(acme.url("/oauth/x"));
		assertThat(anonymous.status()).isEqualTo(302);
		assertThat(anonymous.location()).startsWith("/oauth/login");
		assertThat(backend.received()).isEmpty();
		signIn(acme, ada, "/");
		assertThat(this.browser.get(acme.url("/oauth/x")).status()).isEqualTo(200);
		assertThat(backend.last().path()).isEqualTo("/oauth/x");
		assertThat(backend.last().header("X-Lean-User-Email")).containsExactly(ada.email());
	}

	@Test
	void forwardedWhenSentByTheClientThenNeitherBelievedNorPassedOn() {
		Org acme = organisation();
		backend.clear();
		TestBrowser.Response response = this.browser.get(acme.url("/robots.txt"), Map.of("Forwarded",
				"for=192.0.2.66;host=evil.example;proto=https", "X-Forwarded-For", "198.51.100.23"));
		assertThat(response.status()).isEqualTo(200);
		EchoBackend.Received received = backend.last();
		assertThat(received.header("X-Lean-Tenant")).containsExactly(acme.slug());
		assertThat(String.join(",", received.header("Forwarded"))).doesNotContain("evil.example", "192.0.2.66");
		// what the gateway itself forwards: the client address it counts
		assertThat(received.header("X-Forwarded-For")).containsExactly("198.51.100.23");
	}

	@Test
	void prefixWhenNamingBlockedPathThenNeitherBlockedNorSignInSkipped() {
		Org acme = organisation();
		backend.clear();
		TestBrowser.Response response = this.browser.get(acme.url("/env"),
				Map.of("X-Forwarded-Prefix", "/actuator", "X-Forwarded-For", "198.51.100.21"));
		// /env of an organisation that requires sign-in: to sign-in, nothing forwarded
		assertThat(response.status()).isEqualTo(302);
		assertThat(response.location()).startsWith("/oauth/login");
		assertThat(backend.received()).isEmpty();

		Org plain = organisation();
		this.admin.delete().uri("/admin/tenants/{slug}/sso", plain.slug()).exchange().expectStatus().isNoContent();
		assertThat(this.browser.get(plain.url("/env"), Map.of("X-Forwarded-Prefix", "/actuator")).status())
			.isEqualTo(200);
		assertThat(backend.received()).extracting(EchoBackend.Received::path).containsExactly("/env");
		assertThat(this.browser.get(plain.url("/actuator/env")).status()).isEqualTo(404);
		assertThat(backend.received()).hasSize(1);
	}

	@Test
	void prefixWhenOnLoginAndCallbackThenSignInWorksAsWithout() {
		Org acme = organisation();
		TestEntra.User ada = person(acme, "Ada Prefix");
		this.browser.always("X-Forwarded-Prefix", "/api/reports").always("X-Forwarded-For", "198.51.100.22");
		entra.signInAs(ada);
		TestBrowser.Response login = this.browser.get(acme.url("/oauth/login?next=/reports"));
		assertThat(login.locationParams()).containsEntry("redirect_uri", acme.url("/oauth/complete/"));
		TestBrowser.Response callback = this.browser.follow(this.browser.follow(login));
		assertThat(callback.status()).isEqualTo(302);
		assertThat(callback.location()).isEqualTo("/reports");
		backend.clear();
		assertThat(this.browser.get(acme.url("/reports")).status()).isEqualTo(200);
		assertThat(backend.last().path()).isEqualTo("/reports");
		assertThat(backend.last().header("X-Lean-User-Email")).containsExactly(ada.email());
	}

	@Test
	void clientAddressWhenForwardedOrLeftOfTheIngressEntryThenIgnored() {
		Org acme = organisation();
		// one client behind the ingress: whatever it writes itself, it is 198.51.100.30
		for (int i = 0; i < 3; i++) {
			TestBrowser.Response login = new TestBrowser().get(acme.url("/oauth/login"),
					Map.of("Forwarded", "for=192.0.2." + i, "X-Forwarded-For", "203.0.113." + i + ", 198.51.100.30"));
			assertThat(login.status()).isEqualTo(302);
		}
		TestBrowser.Response refused = new TestBrowser().get(acme.url("/oauth/login"),
				Map.of("Forwarded", "for=192.0.2.99", "X-Forwarded-For", "203.0.113.99, 198.51.100.30"));
		assertThat(refused.status()).isEqualTo(429);
		assertThat(refused.header("Retry-After")).isNotBlank();
		// another client, and one behind a second trusted proxy, have their own count
		assertThat(new TestBrowser().get(acme.url("/oauth/login"), Map.of("X-Forwarded-For", "198.51.100.31")).status())
			.isEqualTo(302);
		assertThat(new TestBrowser()
			.get(acme.url("/oauth/login"), Map.of("X-Forwarded-For", "198.51.100.30, 198.51.100.32, 127.0.0.1"))
			.status()).isEqualTo(302);
	}

	@Test
	void forwardedStyleHeadersWhenSentInAnySpellingThenNoneReachesTheBackend() {
		Org acme = organisation();
		Map<String, String> sent = new java.util.LinkedHashMap<>();
		for (String name : List.of("X-Forwarded-Scheme", "X-Forwarded-Path", "X-Forwarded-Protocol",
				"X-Forwarded-Client-Cert", "X-Original-URL", "X-Rewrite-URL", "X-Real-IP", "X_Forwarded_Prefix",
				"X_Forwarded_For", "X_Forwarded_Host", "x_forwarded_proto", "X-FORWARDED-SSL", "X-Forwarded-Uri",
				"x_real_ip", "X_Original_Url")) {
			sent.put(name, "evil-" + name.length());
		}
		sent.put("X-Forwarded-For", "198.51.100.40");
		backend.clear();
		assertThat(this.browser.get(acme.url("/robots.txt"), sent).status()).isEqualTo(200);
		EchoBackend.Received received = backend.last();
		assertThat(received.headers())
			.allSatisfy((name, values) -> assertThat(values).as(name).noneMatch(value -> value.contains("evil")));
		for (String name : List.of("X-Forwarded-Scheme", "X-Forwarded-Path", "X-Forwarded-Protocol",
				"X-Forwarded-Client-Cert", "X-Original-URL", "X-Rewrite-URL", "X-Real-IP", "X-Forwarded-Ssl",
				"X-Forwarded-Uri")) {
			assertThat(received.header(name)).as(name).isEmpty();
		}
		assertThat(received.headers().keySet()).noneMatch(name -> name.contains("_"));
		// the trusted proxy's X-Forwarded-For, in its own spelling only: what the gateway
		// forwards is its own count
		assertThat(received.header("X-Forwarded-For")).containsExactly("198.51.100.40");
	}

	@Test
	void forwardedHeaderWhenMalformedFromTheTrustedProxyThenTheGatewaysOwn400() {
		Org acme = organisation();
		for (Map<String, String> malformed : List.of(Map.of("X-Forwarded-Port", "abc"),
				Map.of("X-Forwarded-Host", "a b"), Map.of("X-Forwarded-Proto", "javascript"))) {
			TestBrowser.Response page = this.browser.get(acme.url("/x"), malformed);
			assertThat(page.status()).as(malformed.toString()).isEqualTo(400);
			assertThat(page.header("X-Lean-Error")).as(malformed.toString()).isEqualTo("bad-request");
			assertThat(page.header("Content-Type")).startsWith("text/html");
			assertThat(page.body()).contains("Reference");
			TestBrowser.Response problem = this.browser.get(acme.url("/x"),
					with(malformed, "Accept", "application/json"));
			assertThat(problem.status()).isEqualTo(400);
			assertThat(problem.header("Content-Type")).startsWith("application/problem+json");
		}
		assertThat(backend.received()).isEmpty();
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
	 * Signs in as a browser at {@code https://<org host>/} would, through the ingress:
	 * the provider's redirect back to the https address goes to the gateway's port with
	 * the ingress's headers.
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
