package com.iotorq.lean.gateway.sso;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.jayway.jsonpath.JsonPath;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;
import no.nav.security.mock.oauth2.http.OAuth2HttpRequest;
import no.nav.security.mock.oauth2.http.OAuth2HttpResponse;
import no.nav.security.mock.oauth2.http.Route;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import okhttp3.Headers;
import org.junit.jupiter.api.Test;

import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;

import com.iotorq.lean.gateway.test.EchoBackend;
import com.iotorq.lean.gateway.test.SignInTestSupport;
import com.iotorq.lean.gateway.test.TestBrowser;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Signing in through a generic OpenID Connect provider ({@code provider: "oidc"}): an
 * independent OIDC server (NAV's mock-oauth2-server, real HTTP in this JVM) issues the ID
 * tokens, with the claims each test enqueues. Its issuer is plain http, which the tests
 * allow.
 */
@TestPropertySource(properties = "lean.sso.oidc.allow-http-issuers=true")
class OidcSignInIntegrationTests extends SignInTestSupport {

	private static final String WRONG_SECRET = "wrong-secret";

	/**
	 * The provider, which like a real one refuses a wrong client secret with
	 * {@code invalid_client}.
	 */
	private static final MockOAuth2Server oidc = startOidc();

	private static MockOAuth2Server startOidc() {
		MockOAuth2Server server = new MockOAuth2Server(new OAuth2Config(), new WrongSecretRoute());
		server.start();
		return server;
	}

	@Test
	void signInThenLinkedByIssuerAndSubjectWithTheSameIdentityHeaders() {
		OidcOrg acme = oidcOrg(Map.of());
		String email = "ada@" + acme.slug() + ".example";
		account(acme.org(), email, "ACTIVE");
		String subject = UUID.randomUUID().toString();
		TestBrowser.Response done = signIn(acme, subject, List.of(acme.clientId()), claims(email, true));
		assertThat(done.status()).isEqualTo(302);
		assertThat(done.location()).isEqualTo("/a");
		assertThat(this.browser.follow(done).status()).isEqualTo(200);
		EchoBackend.Received first = backend.last();
		assertThat(first.header("X-Lean-User-Email")).containsExactly(email);
		assertThat(first.header("X-Lean-User-Name")).containsExactly("Ada Lovelace");
		assertThat(first.header("X-Lean-Tenant")).containsExactly(acme.slug());
		// the account is linked to (issuer, sub): a later token with another email still
		// names it
		this.browser.clearCookies();
		TestBrowser.Response again = signIn(acme, subject, List.of(acme.clientId()),
				claims("ada.lovelace@elsewhere.example", true));
		assertThat(again.status()).isEqualTo(302);
		assertThat(this.browser.follow(again).status()).isEqualTo(200);
		assertThat(backend.last().header("X-Lean-User-Id")).isEqualTo(first.header("X-Lean-User-Id"));
		assertThat(backend.last().header("X-Lean-User-Email")).containsExactly(email);
	}

	@Test
	void logoutThenSessionEndsHereAndAtTheProvidersEndSessionEndpoint() {
		OidcOrg acme = oidcOrg(Map.of());
		String email = "ada@" + acme.slug() + ".example";
		account(acme.org(), email, "ACTIVE");
		assertThat(signIn(acme, UUID.randomUUID().toString(), List.of(acme.clientId()), claims(email, true)).status())
			.isEqualTo(302);
		TestBrowser.Response logout = this.browser.post(acme.org().url("/oauth/logout"), "",
				Map.of("Sec-Fetch-Site", "same-origin"));
		assertThat(logout.status()).isEqualTo(302);
		assertThat(logout.location()).startsWith(oidc.endSessionEndpointUrl(acme.slug()).toString());
		assertThat(logout.locationParams()).containsKey("id_token_hint");
		assertThat(this.browser.get(acme.org().url("/a")).status()).isEqualTo(302);
	}

	@Test
	void callbackWhenProviderReportsAnErrorThenPageNamesWhoMustActAndItsCodeEscaped() {
		OidcOrg acme = oidcOrg(Map.of());
		String state = this.browser.get(acme.org().url("/oauth/login")).locationParams().get("state");
		TestBrowser.Response page = this.browser.get(acme.org()
			.url("/oauth/complete/?error=unauthorized_client" + "&error_description="
					+ URLEncoder.encode("<script>alert(1)</script>", StandardCharsets.UTF_8) + "&state="
					+ URLEncoder.encode(state, StandardCharsets.UTF_8)));
		assertThat(page.status()).isEqualTo(403);
		assertThat(page.body()).contains("unauthorized_client")
			.contains("LEAN support")
			.doesNotContain("<script>alert");
		this.browser.clearCookies();
		String again = this.browser.get(acme.org().url("/oauth/login")).locationParams().get("state");
		TestBrowser.Response odd = this.browser.get(acme.org()
			.url("/oauth/complete/?error=" + URLEncoder.encode("<b>x</b>", StandardCharsets.UTF_8) + "&state="
					+ URLEncoder.encode(again, StandardCharsets.UTF_8)));
		assertThat(odd.body()).doesNotContain("<b>x</b>").contains("identity administrator");
	}

	@Test
	void changingWhoMaySignInEndsSessionsButChangingScopesDoesNot() {
		OidcOrg acme = oidcOrg(Map.of());
		String email = "ada@" + acme.slug() + ".example";
		account(acme.org(), email, "ACTIVE");
		assertThat(signIn(acme, UUID.randomUUID().toString(), List.of(acme.clientId()), claims(email, true)).status())
			.isEqualTo(302);
		putSso(acme.slug(),
				settings(acme.slug(), acme.clientId(), "s3cret", Map.of("scopes", List.of("openid", "email"))))
			.expectStatus()
			.isOk();
		assertThat(this.browser.get(acme.org().url("/a")).status()).isEqualTo(200);
		putSso(acme.slug(), settings(acme.slug(), acme.clientId(), "s3cret",
				Map.of("allowedEmailDomains", List.of(acme.slug() + ".example"))))
			.expectStatus()
			.isOk();
		TestBrowser.Response after = this.browser.get(acme.org().url("/a"));
		assertThat(after.status()).isEqualTo(302);
		assertThat(after.location()).contains("/oauth/login");
	}

	@Test
	void signInWhenAudienceIsAnotherClientThenRejected() {
		OidcOrg acme = oidcOrg(Map.of());
		String email = "ada@" + acme.slug() + ".example";
		account(acme.org(), email, "ACTIVE");
		Map<String, Object> claims = claims(email, true);
		claims.put("aud", List.of("another-client"));
		TestBrowser.Response page = signIn(acme, UUID.randomUUID().toString(), List.of("another-client"), claims);
		assertThat(page.status()).isEqualTo(401);
		assertThat(page.header("X-Lean-Error")).isEqualTo("sign-in-rejected");
		assertThat(backend.received()).isEmpty();
	}

	@Test
	void signInWhenIssuerClaimIsAnotherThenRejected() {
		OidcOrg acme = oidcOrg(Map.of());
		String email = "ada@" + acme.slug() + ".example";
		account(acme.org(), email, "ACTIVE");
		Map<String, Object> claims = claims(email, true);
		claims.put("iss", oidc.issuerUrl("evil").toString());
		TestBrowser.Response page = signIn(acme, UUID.randomUUID().toString(), List.of(acme.clientId()), claims);
		assertThat(page.status()).isEqualTo(401);
		assertThat(page.header("X-Lean-Error")).isEqualTo("sign-in-rejected");
	}

	@Test
	void signInWhenEmailIsNotVerifiedThenItLinksNoAccount() {
		OidcOrg acme = oidcOrg(Map.of());
		String email = "ada@" + acme.slug() + ".example";
		account(acme.org(), email, "ACTIVE");
		TestBrowser.Response page = signIn(acme, UUID.randomUUID().toString(), List.of(acme.clientId()),
				claims(email, false));
		assertThat(page.status()).isEqualTo(403);
		assertThat(page.header("X-Lean-Error")).isEqualTo("account-not-found");
		assertThat(backend.received()).isEmpty();
	}

	@Test
	void signInWhenVerifiedEmailsAreNotRequiredThenAnUnverifiedEmailLinks() {
		OidcOrg acme = oidcOrg(Map.of("requireVerifiedEmail", false));
		String email = "ada@" + acme.slug() + ".example";
		account(acme.org(), email, "ACTIVE");
		Map<String, Object> claims = claims(email, true);
		claims.remove("email_verified");
		TestBrowser.Response done = signIn(acme, UUID.randomUUID().toString(), List.of(acme.clientId()), claims);
		assertThat(done.status()).isEqualTo(302);
	}

	@Test
	void signInWhenEmailDomainOrHostedDomainIsNotAllowedThenRefused() {
		OidcOrg acme = oidcOrg(Map.of("allowedEmailDomains", List.of("allowed.example")));
		account(acme.org(), "ada@allowed.example", "ACTIVE");
		account(acme.org(), "eve@other.example", "ACTIVE");
		TestBrowser.Response other = signIn(acme, UUID.randomUUID().toString(), List.of(acme.clientId()),
				claims("eve@other.example", true));
		assertThat(other.status()).isEqualTo(403);
		assertThat(other.header("X-Lean-Error")).isEqualTo("email-domain-not-allowed");
		assertThat(other.body()).contains("Your email domain may not use ioTORQ LEAN");
		// Google Workspace: the hosted domain must be allowed too
		this.browser.clearCookies();
		Map<String, Object> hosted = claims("ada@allowed.example", true);
		hosted.put("hd", "other.example");
		TestBrowser.Response wrongHd = signIn(acme, UUID.randomUUID().toString(), List.of(acme.clientId()), hosted);
		assertThat(wrongHd.header("X-Lean-Error")).isEqualTo("email-domain-not-allowed");
		this.browser.clearCookies();
		hosted.put("hd", "allowed.example");
		TestBrowser.Response allowed = signIn(acme, UUID.randomUUID().toString(), List.of(acme.clientId()), hosted);
		assertThat(allowed.status()).isEqualTo(302);
		assertThat(allowed.location()).isEqualTo("/a");
	}

	@Test
	void signInWithAllowedGroupsFromTheConfiguredClaimFailingClosedWhenItIsAbsent() {
		OidcOrg acme = oidcOrg(Map.of("allowedGroups", List.of("engineers"), "claims", Map.of("groups", "roles")));
		String email = "ada@" + acme.slug() + ".example";
		account(acme.org(), email, "ACTIVE");
		Map<String, Object> member = claims(email, true);
		member.put("roles", List.of("staff", "engineers"));
		assertThat(signIn(acme, UUID.randomUUID().toString(), List.of(acme.clientId()), member).status())
			.isEqualTo(302);
		this.browser.clearCookies();
		Map<String, Object> outsider = claims(email, true);
		outsider.put("roles", List.of("staff"));
		outsider.put("groups", List.of("engineers")); // not the configured claim
		TestBrowser.Response refused = signIn(acme, UUID.randomUUID().toString(), List.of(acme.clientId()), outsider);
		assertThat(refused.status()).isEqualTo(403);
		assertThat(refused.header("X-Lean-Error")).isEqualTo("not-in-allowed-group");
		this.browser.clearCookies();
		TestBrowser.Response absent = signIn(acme, UUID.randomUUID().toString(), List.of(acme.clientId()),
				claims(email, true));
		assertThat(absent.status()).isEqualTo(403);
		assertThat(absent.header("X-Lean-Error")).isEqualTo("group-membership-unknown");
	}

	@Test
	void verifyWhenSecretIsRightThenDiscoveryKeysAndCredentialsAreOk() {
		OidcOrg acme = oidcOrg(Map.of());
		String body = verify(acme.slug());
		assertThat(JsonPath.<List<String>>read(body, "$.checks[*].check")).containsExactly("directory", "signingKeys",
				"credentials", "redirectUri");
		assertThat(JsonPath.<List<String>>read(body, "$.checks[*].status")).containsExactly("ok", "ok", "ok", "info");
		assertThat(JsonPath.<Boolean>read(body, "$.ok")).isTrue();
		assertThat(JsonPath.<String>read(body, "$.checks[3].value")).endsWith("/oauth/complete/");
	}

	@Test
	void verifyWhenSecretIsWrongThenCredentialsFailWithInvalidClient() {
		OidcOrg acme = oidcOrg(Map.of());
		putSso(acme.slug(), settings(acme.slug(), acme.clientId(), WRONG_SECRET, Map.of())).expectStatus().isOk();
		String body = verify(acme.slug());
		assertThat(JsonPath.<Boolean>read(body, "$.ok")).isFalse();
		assertThat(JsonPath.<String>read(body, "$.checks[2].check")).isEqualTo("credentials");
		assertThat(JsonPath.<String>read(body, "$.checks[2].status")).isEqualTo("failed");
		assertThat(JsonPath.<String>read(body, "$.checks[2].errorCode")).isEqualTo("invalid_client");
		assertThat(body).doesNotContain(WRONG_SECRET);
	}

	@Test
	void verifyWhenIssuerDiffersFromDiscoveryThenDirectoryFails() {
		OidcOrg acme = oidcOrg(Map.of());
		Map<String, Object> body = settings(acme.slug(), acme.clientId(), "s3cret", Map.of());
		// the discovery document names the issuer without the slash: not the same issuer
		body.put("issuer", oidc.issuerUrl(acme.slug()) + "/");
		putSso(acme.slug(), body).expectStatus().isOk();
		String report = verify(acme.slug());
		assertThat(JsonPath.<String>read(report, "$.checks[0].status")).isEqualTo("failed");
		assertThat(JsonPath.<String>read(report, "$.checks[1].status")).isEqualTo("skipped");
		// nor does anyone get to sign in with it
		TestBrowser.Response page = this.browser.get(acme.org().url("/oauth/login?next=/a"));
		assertThat(page.status()).isEqualTo(503);
	}

	@Test
	void adminViewShowsTheOidcSettingsAndRefusesEntraFields() {
		OidcOrg acme = oidcOrg(
				Map.of("scopes", List.of("openid", "email", "groups"), "allowedEmailDomains", List.of("Example.COM")));
		String view = this.admin.get()
			.uri("/admin/tenants/{slug}", acme.slug())
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		assertThat(JsonPath.<String>read(view, "$.sso.provider")).isEqualTo("oidc");
		assertThat(JsonPath.<String>read(view, "$.sso.issuer")).isEqualTo(oidc.issuerUrl(acme.slug()).toString());
		assertThat(JsonPath.<List<String>>read(view, "$.sso.scopes")).containsExactly("openid", "email", "groups");
		assertThat(JsonPath.<String>read(view, "$.sso.claims.userId")).isEqualTo("sub");
		assertThat(JsonPath.<Boolean>read(view, "$.sso.requireVerifiedEmail")).isTrue();
		assertThat(JsonPath.<List<String>>read(view, "$.sso.allowedEmailDomains")).containsExactly("example.com");
		assertThat(view).doesNotContain("entraTenantId");
		Map<String, Object> mixed = settings(acme.slug(), acme.clientId(), "s3cret", Map.of());
		mixed.put("entraTenantId", UUID.randomUUID().toString());
		mixed.put("scopes", List.of("profile"));
		mixed.put("claims", Map.of("userId", "oid", "colour", "x"));
		mixed.put("credentialType", "certificate");
		mixed.put("allowedEmailDomains", List.of("not a domain"));
		String problem = putSso(acme.slug(), mixed).expectStatus()
			.isEqualTo(422)
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		assertThat(problem).contains("entraTenantId")
			.contains("scopes")
			.contains("claims.colour")
			.contains("credentialType")
			.contains("allowedEmailDomains[0]");
		// nothing of it was stored
		assertThat(this.admin.get()
			.uri("/admin/tenants/{slug}", acme.slug())
			.exchange()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody()).isEqualTo(view);
	}

	/** A new organisation signing in through its own issuer at the OIDC server. */
	private OidcOrg oidcOrg(Map<String, Object> extra) {
		String slug = "oidc-" + UUID.randomUUID().toString().substring(0, 8);
		String clientId = "lean-" + slug;
		this.admin.put()
			.uri("/admin/tenants/{slug}", slug)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("displayName", "Organisation " + slug))
			.exchange()
			.expectStatus()
			.isCreated();
		putSso(slug, settings(slug, clientId, "s3cret-" + UUID.randomUUID(), extra)).expectStatus().isOk();
		return new OidcOrg(new Org(slug, null, null, null, this.port), clientId);
	}

	private static Map<String, Object> settings(String slug, String clientId, String secret,
			Map<String, Object> extra) {
		Map<String, Object> body = new HashMap<>(Map.of("provider", "oidc", "issuer", oidc.issuerUrl(slug).toString(),
				"clientId", clientId, "clientSecret", secret, "mode", "REQUIRED", "provisioning", "EXISTING_ONLY"));
		body.putAll(extra);
		return body;
	}

	private static Map<String, Object> claims(String email, boolean verified) {
		return new HashMap<>(Map.of("email", email, "email_verified", verified, "name", "Ada Lovelace"));
	}

	private TestBrowser.Response signIn(OidcOrg org, String subject, List<String> audience,
			Map<String, Object> claims) {
		oidc.enqueueCallback(new DefaultOAuth2TokenCallback(org.slug(), subject, "JWT", audience, claims, 3600));
		TestBrowser.Response login = this.browser.get(org.org().url("/oauth/login?next=/a"));
		assertThat(login.status()).isEqualTo(302);
		TestBrowser.Response authorize = this.browser.follow(login);
		return this.browser.follow(authorize);
	}

	private String verify(String slug) {
		return this.admin.post()
			.uri("/admin/tenants/{slug}/sso/verify", slug)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
	}

	private record OidcOrg(Org org, String clientId) {

		String slug() {
			return this.org.slug();
		}

	}

	/**
	 * The token endpoint refusing the wrong secret as real providers do (the mock accepts
	 * any).
	 */
	private static final class WrongSecretRoute implements Route {

		@Override
		public boolean match(OAuth2HttpRequest request) {
			return request.getMethod().equals("POST") && request.getUrl().encodedPath().endsWith("/token")
					&& request.getBody() != null && request.getBody().contains("client_secret=" + WRONG_SECRET);
		}

		@Override
		public OAuth2HttpResponse invoke(OAuth2HttpRequest request) {
			return new OAuth2HttpResponse(Headers.of("Content-Type", "application/json"), 401,
					"{\"error\":\"invalid_client\",\"error_description\":\"Invalid client credentials\"}", null);
		}

	}

}
