package com.iotorq.lean.gateway.sso;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.Test;

import org.springframework.test.context.TestPropertySource;

import com.iotorq.lean.gateway.test.RawHttp;
import com.iotorq.lean.gateway.test.SignInTestSupport;
import com.iotorq.lean.gateway.test.TestBrowser;
import com.iotorq.lean.gateway.test.entra.TestEntra;
import com.iotorq.lean.gateway.web.ErrorCode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every decision sees the path the backend receives: a sign-in endpoint spelled with
 * percent-encoded letters ({@code /oauth/logi%6E}) is the endpoint itself, for the
 * gateway's filters as for Spring Security and the backend; and the sign-in endpoints,
 * which need no session, are answered only with the methods the gateway answers them
 * with. Nothing reaches the backend of an organisation that requires sign-in without a
 * session.
 */
@TestPropertySource(properties = "lean.sso.sign-in-rate-limit=3")
class SignInEndpointPathsIntegrationTests extends SignInTestSupport {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	@Test
	void loginWhenPercentEncodedThenCountedBySignInLimit() {
		Org acme = organisation();
		for (String path : List.of("/oauth/logi%6E?next=/", "/oauth/login?next=/", "/oauth/%6c%6fgin?next=/")) {
			TestBrowser.Response login = new TestBrowser().get(acme.url(path));
			assertThat(login.status()).as(path).isEqualTo(302);
			assertThat(login.locationParams()).as(path).containsKey("state");
		}
		TestBrowser.Response refused = new TestBrowser().get(acme.url("/oauth/logi%6E?next=/"));
		assertThat(refused.status()).isEqualTo(429);
		assertThat(refused.header("Retry-After")).isNotBlank();
		assertThat(backend.received()).isEmpty();
	}

	@Test
	void callbackWhenPercentEncodedThenRepeatedParametersAreRefusedAsWithout() {
		Org acme = organisation();
		for (String path : List.of("/oauth/complete/?code=a&code=b&state=s", "/oauth/complet%65/?code=a&code=b&state=s",
				"/oauth/complet%65?code=a&code=b&state=s")) {
			TestBrowser.Response response = this.browser.get(acme.url(path));
			assertThat(response.status()).as(path).isEqualTo(400);
			assertThat(response.header("X-Lean-Error")).as(path).isEqualTo(ErrorCode.BAD_REQUEST.code());
		}
		assertThat(backend.received()).isEmpty();
	}

	@Test
	void signInEndpointWhenPercentEncodedThenAnsweredByTheGatewayAndNeverForwarded() {
		Org acme = organisation();
		TestBrowser.Response logout = this.browser.get(acme.url("/oauth/%6Cogout"));
		assertThat(logout.status()).isEqualTo(200);
		assertThat(logout.body()).contains("Sign out");
		TestBrowser.Response consent = this.browser.get(acme.url("/oauth/admin-consen%74"));
		assertThat(consent.status()).isEqualTo(302);
		assertThat(consent.location()).startsWith(entra.authority().toString());
		assertThat(backend.received()).isEmpty();
	}

	@Test
	void signInEndpointWhenAnotherMethodThen405FromTheGatewayAndNeverForwarded() {
		Org acme = organisation();
		for (String request : List.of("POST /oauth/login", "PUT /oauth/complete/", "HEAD /oauth/complete",
				"HEAD /oauth/login", "DELETE /oauth/logout", "PATCH /oauth/choose", "OPTIONS /oauth/admin-consent",
				"PUT /oauth/logi%6E", "POST /oauth/complet%65/")) {
			RawHttp.Reply reply = send(acme, request);
			assertThat(reply.status()).as(request).isEqualTo(405);
			String head = reply.head().toLowerCase(Locale.ROOT);
			assertThat(head).as(request).contains("\r\nallow: get").contains("\r\nx-lean-error: method-not-allowed");
		}
		assertThat(send(acme, "DELETE /oauth/logout").head().toLowerCase(Locale.ROOT)).contains("\r\nallow: get,post");
		assertThat(backend.received()).isEmpty();
	}

	@Test
	void adminConsentCompleteWhenAnyMethodThenItNeedsASessionLikeAnyPath() {
		Org acme = organisation();
		for (String request : List.of("GET /oauth/admin-consent/complete", "POST /oauth/admin-consent/complete",
				"PUT /oauth/admin-consent/complet%65")) {
			RawHttp.Reply reply = send(acme, request);
			assertThat(reply.status()).as(request).isIn(302, 401);
		}
		assertThat(backend.received()).isEmpty();
	}

	@Test
	void pathWhenUnreservedCharactersAreEncodedThenTheBackendReceivesThemDecodedAndNothingElse() {
		Org acme = organisation();
		TestEntra.User ada = person(acme, "Ada Paths");
		signIn(acme, ada, "/");
		backend.clear();
		assertThat(this.browser.get(acme.url("/reports/%7Eada%2Dx%5F1/a%20b%C3%A9")).status()).isEqualTo(200);
		assertThat(backend.last().uri()).isEqualTo("/reports/~ada-x_1/a%20b%C3%A9");
		assertThat(backend.last().header("X-Lean-User-Email")).containsExactly(ada.email());
		// an encoded '.', '/' or '%' is still refused by the firewall, before anything is
		// forwarded
		for (String path : List.of("/reports/%2E%2E/x", "/reports%2Fx", "/reports/%25")) {
			assertThat(this.browser.get(acme.url(path)).status()).as(path).isEqualTo(400);
		}
		assertThat(backend.received()).hasSize(1);
	}

	/**
	 * The request line's method and path, with the organisation's host and an empty body.
	 */
	private RawHttp.Reply send(Org org, String methodAndPath) {
		return RawHttp.send(this.port, RawHttp.ascii(methodAndPath + " HTTP/1.1\r\nHost: " + org.host() + ":"
				+ this.port + "\r\nAccept: text/html\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"), TIMEOUT);
	}

}
