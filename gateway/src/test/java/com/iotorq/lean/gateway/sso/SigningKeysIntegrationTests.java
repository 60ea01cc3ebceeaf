package com.iotorq.lean.gateway.sso;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import com.iotorq.lean.gateway.test.SignInTestSupport;
import com.iotorq.lean.gateway.test.TestBrowser;
import com.iotorq.lean.gateway.test.entra.TestEntra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The provider's signing keys (JWKS): a key set has a maximum age and is refreshed in the
 * background before it reaches it; a failed fetch is retried after a short backoff, so
 * sign-in recovers within seconds of the key endpoint coming back; while no usable keys
 * can be had, a sign-in is refused with the "Sign-in service unavailable" page. The key
 * endpoint answers 503 while it is "down"; the rest of the provider keeps working.
 */
class SigningKeysIntegrationTests extends SignInTestSupport {

	/** Short, so the tests see a key set age; refreshing starts at half of it. */
	static final Duration MAX_AGE = Duration.ofSeconds(8);

	static final Duration REFRESH_AHEAD = Duration.ofSeconds(4);

	/** Sign-in must work again this soon after the key endpoint is back. */
	static final Duration RECOVERY = Duration.ofSeconds(10);

	@DynamicPropertySource
	static void keyProperties(DynamicPropertyRegistry registry) {
		// the defaults an operator gets, except the maximum age (JwkSetsTests covers the
		// defaults on a test clock)
		registry.add("lean.sso.jwks-refresh-interval", () -> "30s");
		registry.add("lean.sso.jwks.max-age", MAX_AGE::toString);
		registry.add("lean.sso.jwks.refresh-ahead", REFRESH_AHEAD::toString);
	}

	@Autowired
	CircuitBreakerRegistry breakers;

	private Org down;

	@AfterEach
	void keyEndpointBack() {
		if (this.down != null) {
			entra.keyEndpointUp(this.down.directory().tid());
		}
	}

	@Test
	void keyEndpointDownAtFirstSignInThenRefusedWithPageAndSignInRecoversSoonAfterItIsBack() {
		Org acme = organisation();
		TestEntra.User ada = person(acme, "Ada Lovelace");
		keyEndpointDown(acme);
		for (int i = 0; i < 12; i++) {
			assertUnavailable(signInAnew(acme, ada, "/"));
		}
		// failed fetches back off: the provider is not asked once per sign-in
		assertThat(entra.keyRequests(acme.directory().tid())).hasSizeBetween(1, 6);
		// nor do they open the provider's circuit breaker, which would refuse sign-ins
		// for its whole
		// open interval (30 s) after the key endpoint is back
		assertThat(idpBreaker(acme).getState()).isEqualTo(CircuitBreaker.State.CLOSED);

		keyEndpointUp(acme);
		assertSignInRecovers(acme, ada);
	}

	@Test
	void keySetOlderThanItsMaximumAgeIsNotUsedButFetchedAgain() {
		Org acme = organisation();
		TestEntra.User ada = person(acme, "Ada Lovelace");
		assertSignedIn(signInAnew(acme, ada, "/"));
		Instant fetched = onlyKeyRequest(acme);
		keyEndpointDown(acme);
		waitUntil(fetched.plus(MAX_AGE).plusMillis(500));

		assertUnavailable(signInAnew(acme, ada, "/"));
		assertThat(entra.keyRequests(acme.directory().tid())).hasSize(2);

		keyEndpointUp(acme);
		assertSignInRecovers(acme, ada);
	}

	@Test
	void keySetNearItsMaximumAgeIsRefreshedInTheBackgroundWhileSignInsUseIt() {
		Org acme = organisation();
		TestEntra.User ada = person(acme, "Ada Lovelace");
		String tid = acme.directory().tid();
		assertSignedIn(signInAnew(acme, ada, "/"));
		Instant fetched = onlyKeyRequest(acme);
		Instant expires = fetched.plus(MAX_AGE);

		// within the refresh-ahead window: the sign-in uses the keys at hand while they
		// are fetched
		// again, and does not depend on that fetch (here it fails)
		waitUntil(expires.minus(REFRESH_AHEAD).plusMillis(200));
		keyEndpointDown(acme);
		assertSignedIn(signInAnew(acme, ada, "/"));
		await().atMost(Duration.ofSeconds(3)).until(() -> entra.keyRequests(tid).size() == 2);
		keyEndpointUp(acme);

		// the next sign-in after the backoff (1 s) fetches again, still before the set
		// expires
		waitUntil(entra.keyRequests(tid).get(1).at().plusMillis(1100));
		assertSignedIn(signInAnew(acme, ada, "/"));
		await().atMost(Duration.ofSeconds(3)).until(() -> entra.keyRequests(tid).size() == 3);
		assertThat(entra.keyRequests(tid).get(2).at()).isBefore(expires);

		// past the first set's maximum age the refreshed set is in use: no fetch needed
		keyEndpointDown(acme);
		waitUntil(expires.plusMillis(300));
		assertSignedIn(signInAnew(acme, ada, "/"));
	}

	@Test
	void tokensNamingUnknownKeysFetchTheKeysAtMostOncePerRefreshInterval() {
		Org acme = organisation();
		TestEntra.User ada = person(acme, "Ada Lovelace");
		assertSignedIn(signInAnew(acme, ada, "/"));
		for (int i = 0; i < 5; i++) {
			entra.nextIdTokenSigning(TestEntra.Signing.UNKNOWN_KID);
			TestBrowser.Response refused = signInAnew(acme, ada, "/");
			assertThat(refused.status()).isEqualTo(401);
			assertThat(refused.body()).contains("Sign-in could not be verified");
		}
		assertThat(entra.keyRequests(acme.directory().tid())).hasSize(1);
	}

	private void assertSignInRecovers(Org org, TestEntra.User user) {
		long back = System.nanoTime();
		await().atMost(RECOVERY)
			.pollInterval(Duration.ofMillis(250))
			.untilAsserted(() -> assertSignedIn(signInAnew(org, user, "/")));
		assertThat(Duration.ofNanos(System.nanoTime() - back)).isLessThan(RECOVERY);
	}

	private CircuitBreaker idpBreaker(Org org) {
		return this.breakers.getAllCircuitBreakers()
			.stream()
			.filter(breaker -> breaker.getName().startsWith("idp ")
					&& breaker.getName().contains(org.directory().tid()))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no circuit breaker for " + org.directory().tid()));
	}

	private TestBrowser.Response signInAnew(Org org, TestEntra.User user, String next) {
		this.browser = new TestBrowser();
		return signIn(org, user, next);
	}

	private Instant onlyKeyRequest(Org org) {
		List<TestEntra.Recorded> requests = entra.keyRequests(org.directory().tid());
		assertThat(requests).hasSize(1);
		return requests.get(0).at();
	}

	private void keyEndpointDown(Org org) {
		this.down = org;
		entra.keyEndpointDown(org.directory().tid());
	}

	private static void keyEndpointUp(Org org) {
		entra.keyEndpointUp(org.directory().tid());
	}

	private static void waitUntil(Instant moment) {
		Duration most = Duration.between(Instant.now(), moment).plusSeconds(1);
		await().atMost(most.isNegative() ? Duration.ofSeconds(1) : most)
			.pollInterval(Duration.ofMillis(50))
			.until(() -> Instant.now().isAfter(moment));
	}

	private static void assertSignedIn(TestBrowser.Response callback) {
		assertThat(callback.status()).as(callback.body()).isEqualTo(302);
		assertThat(callback.location()).isEqualTo("/");
	}

	private static void assertUnavailable(TestBrowser.Response callback) {
		assertThat(callback.status()).as(callback.body()).isEqualTo(503);
		assertThat(callback.header("Retry-After")).isNotBlank();
		assertThat(callback.header("content-type")).startsWith("text/html");
		assertThat(callback.body()).contains("Sign-in service unavailable").doesNotContain("eyJ");
	}

}
