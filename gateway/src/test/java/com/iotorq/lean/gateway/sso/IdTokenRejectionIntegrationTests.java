package com.iotorq.lean.gateway.sso;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.iotorq.lean.gateway.test.SignInTestSupport;
import com.iotorq.lean.gateway.test.TestBrowser;
import com.iotorq.lean.gateway.test.entra.TestEntra;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every ID token that must not sign anyone in is refused with a page, and leaves no
 * session.
 */
class IdTokenRejectionIntegrationTests extends SignInTestSupport {

	Org acme;

	TestEntra.User ada;

	@BeforeEach
	void setUpOrganisation() {
		this.acme = organisation();
		this.ada = person(this.acme, "Ada Lovelace");
	}

	@Test
	void signInWhenSignatureWrongThenRejected() {
		entra.nextIdTokenSigning(TestEntra.Signing.WRONG_KEY);
		assertRejected(signIn(this.acme, this.ada, "/"));
	}

	@Test
	void signInWhenAlgNoneThenRejected() {
		entra.nextIdTokenSigning(TestEntra.Signing.ALG_NONE);
		assertRejected(signIn(this.acme, this.ada, "/"));
	}

	@Test
	void signInWhenIssuerWrongThenRejected() {
		entra.tamperNextIdToken(
				claims -> claims.issuer(entra.authority() + "/" + java.util.UUID.randomUUID() + "/v2.0").build());
		assertRejected(signIn(this.acme, this.ada, "/"));
	}

	@Test
	void signInWhenAudienceWrongThenRejected() {
		entra.tamperNextIdToken(claims -> claims.audience(java.util.UUID.randomUUID().toString()).build());
		assertRejected(signIn(this.acme, this.ada, "/"));
	}

	@Test
	void signInWhenTokenNamesAnotherDirectoryThenRejected() {
		Org globex = organisation();
		entra.tamperNextIdToken(claims -> claims.claim("tid", globex.directory().tid()).build());
		assertRejected(signIn(this.acme, this.ada, "/"));
	}

	@Test
	void signInWhenTokenExpiredThenRejected() {
		Instant past = Instant.now().minus(Duration.ofHours(2));
		entra.tamperNextIdToken(claims -> claims.issueTime(Date.from(past))
			.notBeforeTime(Date.from(past))
			.expirationTime(Date.from(past.plus(Duration.ofMinutes(30))))
			.build());
		assertRejected(signIn(this.acme, this.ada, "/"));
	}

	@Test
	void signInWhenNonceDiffersThenRejected() {
		entra.tamperNextIdToken(claims -> claims.claim("nonce", "not-the-nonce-that-was-sent").build());
		assertRejected(signIn(this.acme, this.ada, "/"));
	}

	@Test
	void signInWhenKeyIdUnknownThenRejectedUntilTheProviderPublishesTheKey() throws InterruptedException {
		// the gateway fetches the keys on the first sign-in, before the provider rotates
		assertThat(signIn(this.acme, this.ada, "/").location()).isEqualTo("/");
		this.browser.clearCookies();
		Thread.sleep(1100); // past lean.sso.jwks-refresh-interval
		entra.nextIdTokenSigning(TestEntra.Signing.UNKNOWN_KID);
		assertRejected(signIn(this.acme, this.ada, "/"));
		entra.rotateKeys(true);
		Thread.sleep(1100);
		TestBrowser.Response accepted = signIn(this.acme, this.ada, "/after-rotation");
		assertThat(accepted.status()).isEqualTo(302);
		assertThat(accepted.location()).isEqualTo("/after-rotation");
	}

	@Test
	void callbackWhenReplayedThenRefused() {
		entra.signInAs(this.ada);
		TestBrowser.Response authorize = this.browser.follow(this.browser.get(this.acme.url("/oauth/login")));
		String callback = authorize.location();
		assertThat(this.browser.get(callback).location()).isEqualTo("/");
		// the same browser, and an attacker who captured the URL, replay it
		TestBrowser.Response replay = this.browser.get(callback);
		assertThat(replay.status()).isEqualTo(400);
		assertThat(replay.body()).contains("Sign-in expired");
		TestBrowser attacker = new TestBrowser();
		TestBrowser.Response stolen = attacker.get(callback);
		assertThat(stolen.status()).isEqualTo(400);
		assertThat(attacker.get(this.acme.url("/private")).status()).isEqualTo(302);
	}

	@Test
	void callbackWhenStateTamperedThenRefused() {
		entra.signInAs(this.ada);
		TestBrowser.Response authorize = this.browser.follow(this.browser.get(this.acme.url("/oauth/login")));
		var params = authorize.locationParams();
		TestBrowser.Response tampered = this.browser.get(this.acme.url(
				"/oauth/complete/?code=" + encode(params.get("code")) + "&state=" + encode(params.get("state") + "x")));
		assertThat(tampered.status()).isEqualTo(400);
		assertThat(tampered.body()).contains("Sign-in expired");
		assertNotSignedIn();
	}

	private void assertRejected(TestBrowser.Response response) {
		assertThat(response.status()).isEqualTo(401);
		assertThat(response.header("content-type")).startsWith("text/html");
		assertThat(response.body()).contains("Sign-in could not be verified").doesNotContain("eyJ");
		assertNotSignedIn();
	}

	private void assertNotSignedIn() {
		TestBrowser.Response page = this.browser.get(this.acme.url("/private"));
		assertThat(page.status()).isEqualTo(302);
		assertThat(page.location()).startsWith("/oauth/login");
		assertThat(backend.received()).isEmpty();
	}

	private static String encode(String value) {
		return java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8);
	}

}
