package com.iotorq.lean.gateway.sso;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import org.springframework.test.context.TestPropertySource;

import com.iotorq.lean.gateway.test.SignInTestSupport;
import com.iotorq.lean.gateway.test.TestBrowser;
import com.iotorq.lean.gateway.test.entra.TestEntra;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A company behind one address signs in at 9:00: the sign-in limit counts sign-ins
 * started and not completed, so 500 people complete sign-in from one address with the
 * default limits, while an address that only starts sign-ins is refused with 429 and
 * {@code Retry-After}.
 */
@TestPropertySource(properties = "lean.sso.sign-in-rate-limit=30") // the default;
																	// SignInTestSupport
																	// lifts it
class CompanySignInIntegrationTests extends SignInTestSupport {

	private static final int PEOPLE = 500;

	/**
	 * Each sign-in is two anonymous requests to the gateway (login and callback); one
	 * address may send 50 a second to an organisation with the default limits, so the
	 * test starts at most 20 sign-ins a second: 25 s, where the company's people take 5
	 * minutes.
	 */
	private static final Duration PACE = Duration.ofMillis(50);

	@Test
	void fiveHundredPeopleBehindOneAddressWhenSigningInThenEveryOneSucceeds() {
		Org acme = organisation("AUTO_ACTIVATE");
		List<TestEntra.User> people = new ArrayList<>();
		for (int i = 0; i < PEOPLE; i++) {
			TestEntra.User user = acme.directory()
				.addUser(UUID.randomUUID().toString(), "person" + i + "@" + acme.slug() + ".example", "Person " + i);
			acme.app().assign(user);
			people.add(user);
		}
		long started = System.nanoTime();
		for (int i = 0; i < PEOPLE; i++) {
			waitUntil(started + i * PACE.toNanos());
			TestBrowser browser = new TestBrowser();
			entra.signInAs(people.get(i));
			TestBrowser.Response login = browser.get(acme.url("/oauth/login?next=/start"));
			assertThat(login.status()).as("login of person %d", i).isEqualTo(302);
			TestBrowser.Response callback = browser.follow(browser.follow(login));
			assertThat(callback.status()).as("callback of person %d", i).isEqualTo(302);
			assertThat(callback.location()).as("callback of person %d", i).isEqualTo("/start");
		}
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMinutes(5));
		assertThat(prometheus())
			.contains("lean_sign_ins_total{application=\"lean-gateway\",outcome=\"success\",tenant=\"" + acme.slug()
					+ "\"} 500.0");
	}

	@Test
	void addressThatOnlyStartsSignInsWhenOverTheLimitThen429WithRetryAfter() {
		Org acme = organisation();
		List<TestBrowser.Response> starts = new ArrayList<>();
		for (int i = 0; i < 40; i++) {
			starts.add(new TestBrowser().get(acme.url("/oauth/login")));
		}
		assertThat(starts.stream().filter(response -> response.status() == 302).count()).isBetween(30L, 32L);
		TestBrowser.Response refused = starts.stream()
			.filter(response -> response.status() == 429)
			.findFirst()
			.orElseThrow();
		assertThat(Integer.parseInt(refused.header("Retry-After"))).isBetween(1, 2);
		assertThat(refused.header("X-Lean-Error")).isEqualTo("too-many-requests");
		assertThat(refused.body()).contains("Too many sign-ins were started from your address");
		assertThat(prometheus()).containsPattern(
				"lean_requests_refused_total\\{[^}]*reason=\"sign-in\"[^}]*tenant=\"" + acme.slug() + "\"[^}]*} [1-9]");
	}

	private static void waitUntil(long nanos) {
		long wait = nanos - System.nanoTime();
		if (wait > 0) {
			try {
				Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

}
