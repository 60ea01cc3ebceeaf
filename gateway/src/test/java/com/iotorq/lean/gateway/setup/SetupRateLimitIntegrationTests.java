package com.iotorq.lean.gateway.setup;

import org.junit.jupiter.api.Test;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import com.iotorq.lean.gateway.test.TestBrowser;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Guessing setup links, and hammering the setup page's forms, is limited per client
 * address like starting sign-ins ({@code lean.sso.sign-in-rate-limit} per minute): 429
 * with {@code Retry-After}.
 */
class SetupRateLimitIntegrationTests extends SetupFlowSupport {

	@DynamicPropertySource
	static void smallLimit(DynamicPropertyRegistry registry) {
		registry.add("lean.sso.sign-in-rate-limit", () -> "3");
	}

	@Test
	void linksWhenGuessedFasterThanTheSignInLimitThenTooManyRequests() {
		String slug = organisationWithoutSso();
		TestBrowser guesser = new TestBrowser();
		for (int i = 0; i < 3; i++) {
			String guess = "/oauth/setup/" + "A".repeat(42) + i;
			assertThat(guesser.get(url(slug, guess)).status()).isEqualTo(404);
		}

		TestBrowser.Response refused = guesser.get(url(slug, "/oauth/setup/" + "B".repeat(43)));
		assertThat(refused.status()).isEqualTo(429);
		assertThat(refused.header("Retry-After")).isNotNull();
		// the page itself stays readable for whoever has a session; only links and forms
		// count
		assertThat(guesser.get(url(slug, "/oauth/setup")).status()).isEqualTo(403);
	}

}
