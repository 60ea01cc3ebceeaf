package com.iotorq.lean.gateway.sso;

import java.net.URI;
import java.util.Map;
import java.util.UUID;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import org.junit.jupiter.api.Test;

import com.iotorq.lean.gateway.test.EchoBackend;
import com.iotorq.lean.gateway.test.SignInTestSupport;
import com.iotorq.lean.gateway.test.TestBrowser;
import com.iotorq.lean.gateway.test.entra.TestEntra;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The help article's flow end to end: organisations sign in through their own Entra
 * directory on their own host, and backends receive identity they can verify.
 */
class SignInIntegrationTests extends SignInTestSupport {

	@Test
	void signInWhenTwoOrganisationsThenEachSeesItsOwnVerifiableIdentity() throws Exception {
		Org acme = organisation();
		Org globex = organisation();
		TestEntra.User ada = person(acme, "Ada Lovelace");
		TestEntra.User grace = person(globex, "Grace Hopper");

		TestBrowser.Response done = signIn(acme, ada, "/reports/7?x=1");
		assertThat(done.status()).isEqualTo(302);
		assertThat(done.location()).isEqualTo("/reports/7?x=1");
		TestBrowser.Response page = this.browser.follow(done);
		assertThat(page.status()).isEqualTo(200);
		EchoBackend.Received atAcme = backend.last();
		assertThat(atAcme.header("X-Lean-Tenant")).containsExactly(acme.slug());
		assertThat(atAcme.header("X-Lean-User-Email")).containsExactly(ada.email());
		assertThat(atAcme.header("X-Lean-User-Name")).containsExactly("Ada Lovelace");
		assertThat(atAcme.header("X-Lean-User-Id")).hasSize(1);
		JWTClaimsSet identity = verify(atAcme.header("X-Lean-Identity").get(0));
		assertThat(identity.getSubject()).isEqualTo(atAcme.header("X-Lean-User-Id").get(0));
		assertThat(identity.getStringClaim("tenant")).isEqualTo(acme.slug());
		assertThat(identity.getStringClaim("email")).isEqualTo(ada.email());
		assertThat(identity.getStringClaim("idp_oid")).isEqualTo(ada.oid());
		assertThat(identity.getStringClaim("idp_iss")).isEqualTo(acme.directory().issuer());
		assertThat(identity.getAudience()).containsExactly("lean-backends");
		assertThat(identity.getExpirationTime().getTime() - identity.getIssueTime().getTime())
			.isLessThanOrEqualTo(300_000);
		// the assertion is reused, not signed again on every request
		this.browser.get(acme.url("/again"));
		assertThat(backend.last().header("X-Lean-Identity")).isEqualTo(atAcme.header("X-Lean-Identity"));

		// the same browser signs in at another organisation; the two stay apart
		signIn(globex, grace, "/");
		this.browser.get(globex.url("/who"));
		assertThat(backend.last().header("X-Lean-User-Email")).containsExactly(grace.email());
		this.browser.get(acme.url("/who"));
		assertThat(backend.last().header("X-Lean-User-Email")).containsExactly(ada.email());
		assertThat(backend.last().header("X-Lean-Tenant")).containsExactly(acme.slug());
	}

	@Test
	void signInWhenSupportReplacedTheAppRegistrationThenTheNextSignInUsesTheNewOne() {
		Org acme = organisation();
		TestEntra.User ada = person(acme, "Ada Lovelace");
		assertThat(signIn(acme, ada, "/").location()).isEqualTo("/");

		// a new app registration in the same directory, entered by support (the
		// registration is cached)
		String clientId = UUID.randomUUID().toString();
		String secret = "n3w~" + UUID.randomUUID().toString().replace("-", "");
		acme.directory().registerApp(clientId, secret, acme.url("/oauth/complete/")).assign(ada);
		putSso(acme.slug(),
				Map.of("provider", "entra", "entraTenantId", acme.directory().tid(), "clientId", clientId,
						"clientSecret", secret, "mode", "REQUIRED", "provisioning", "EXISTING_ONLY"))
			.expectStatus()
			.isOk();

		this.browser = new TestBrowser();
		entra.signInAs(ada);
		TestBrowser.Response login = this.browser.get(acme.url("/oauth/login?next=/"));
		assertThat(login.locationParams()).containsEntry("client_id", clientId);
		TestBrowser.Response done = this.browser.follow(this.browser.follow(login));
		assertThat(done.status()).isEqualTo(302);
		assertThat(done.location()).isEqualTo("/");
	}

	@Test
	void loginWhenStartedThenAuthorizeRequestHasStateNonceAndPkceAndTheRegisteredRedirectUri() {
		Org acme = organisation();
		TestEntra.User ada = person(acme, "Ada Lovelace");
		entra.signInAs(ada);
		TestBrowser.Response login = this.browser.get(acme.url("/oauth/login"));
		assertThat(login.status()).isEqualTo(302);
		URI authorize = URI.create(login.location());
		assertThat(authorize.getPath()).isEqualTo("/" + acme.directory().tid() + "/oauth2/v2.0/authorize");
		Map<String, String> params = login.locationParams();
		assertThat(params).containsEntry("redirect_uri", acme.url("/oauth/complete/"))
			.containsEntry("response_type", "code")
			.containsEntry("client_id", acme.app().clientId())
			.containsEntry("code_challenge_method", "S256")
			.containsKeys("state", "nonce", "code_challenge");
		assertThat(params.get("scope").split(" ")).containsExactlyInAnyOrder("openid", "profile", "email");
		TestBrowser.Response callback = this.browser.follow(login);
		this.browser.follow(callback);
		var token = entra.requestsTo("/oauth2/v2.0/token").get(0);
		assertThat(token.form("code_verifier")).isNotBlank();
		assertThat(token.form("client_secret")).isEqualTo(acme.clientSecret());
	}

	@Test
	void loginWhenForwardedHeadersComeFromAnUntrustedPeerThenIgnored() {
		Org acme = organisation();
		TestBrowser.Response login = this.browser.get(acme.url("/oauth/login"), Map.of("X-Forwarded-Proto", "https",
				"X-Forwarded-Host", "evil.example", "Forwarded", "host=evil.example;proto=https"));
		assertThat(login.locationParams()).containsEntry("redirect_uri", acme.url("/oauth/complete/"));
	}

	@Test
	void callbackWhenWithoutTrailingSlashThenSignInCompletes() {
		Org acme = organisation();
		TestEntra.User ada = person(acme, "Ada Lovelace");
		entra.signInAs(ada);
		TestBrowser.Response authorize = this.browser.follow(this.browser.get(acme.url("/oauth/login?next=/a")));
		String withoutSlash = authorize.location().replace("/oauth/complete/?", "/oauth/complete?");
		TestBrowser.Response done = this.browser.get(withoutSlash);
		assertThat(done.status()).isEqualTo(302);
		assertThat(done.location()).isEqualTo("/a");
		assertThat(this.browser.get(acme.url("/a")).status()).isEqualTo(200);
	}

	@Test
	void protectedPageWhenAnonymousThenSentToSignInAndBack() {
		Org acme = organisation();
		TestEntra.User ada = person(acme, "Ada Lovelace");
		TestBrowser.Response first = this.browser.get(acme.url("/reports/1?sort=desc"));
		assertThat(first.status()).isEqualTo(302);
		assertThat(first.location()).isEqualTo("/oauth/login?next=/reports/1?sort%3Ddesc");
		assertThat(backend.received()).isEmpty();
		entra.signInAs(ada);
		TestBrowser.Response done = this.browser.follow(this.browser.follow(this.browser.follow(first)));
		assertThat(done.location()).isEqualTo("/reports/1?sort=desc");
	}

	@Test
	void apiRequestWhenAnonymousThenUnauthorizedProblem() {
		Org acme = organisation();
		TestBrowser.Response json = this.browser.get(acme.url("/api/items"), Map.of("Accept", "application/json"));
		assertThat(json.status()).isEqualTo(401);
		assertThat(json.header("content-type")).startsWith("application/problem+json");
		TestBrowser.Response xhr = this.browser.get(acme.url("/api/items"),
				Map.of("X-Requested-With", "XMLHttpRequest"));
		assertThat(xhr.status()).isEqualTo(401);
		assertThat(backend.received()).isEmpty();
	}

	private JWTClaimsSet verify(String assertion) throws Exception {
		String jwks = org.springframework.test.web.reactive.server.WebTestClient.bindToServer()
			.responseTimeout(java.time.Duration.ofSeconds(30))
			.baseUrl("http://127.0.0.1:" + this.managementPort)
			.build()
			.get()
			.uri("/.well-known/lean-gateway/jwks.json")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
		processor.setJWSKeySelector(
				new JWSVerificationKeySelector<>(JWSAlgorithm.ES256, new ImmutableJWKSet<>(JWKSet.parse(jwks))));
		return processor.process(assertion, null);
	}

}
