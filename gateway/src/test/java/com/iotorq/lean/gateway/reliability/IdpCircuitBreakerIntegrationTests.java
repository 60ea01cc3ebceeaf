package com.iotorq.lean.gateway.reliability;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import com.iotorq.lean.gateway.test.ResilienceTestSupport;
import com.iotorq.lean.gateway.test.TestBrowser;
import com.iotorq.lean.gateway.test.entra.TestEntra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One organisation's identity provider hangs: its sign-ins fail after the timeouts, then
 * its circuit breaker opens and they fail at once, without a call to the provider, with
 * the "Sign-in service unavailable" page and Retry-After; at the same moment another
 * organisation signs in with normal latency; once the provider answers again a trial call
 * closes the breaker.
 */
class IdpCircuitBreakerIntegrationTests extends ResilienceTestSupport {

	@Autowired
	CircuitBreakerRegistry breakers;

	private Org broken;

	@AfterEach
	void providerAnswersAgain() {
		if (this.broken != null) {
			entra.delay(this.broken.directory().tid(), Duration.ZERO);
		}
	}

	@Test
	void providerHangingWhenHammeredThenItsBreakerOpensAndOtherOrganisationsSignInAtNormalSpeed() throws Exception {
		this.broken = organisation();
		Org healthy = organisation();
		// normal latency, measured before the trouble starts (the provider's documents
		// cached)
		Duration normal = Duration.ZERO;
		for (int i = 0; i < 3; i++) {
			Duration took = signIn(healthy, "Warm " + i);
			normal = (i > 0 && took.compareTo(normal) > 0) ? took : normal;
		}
		String discovery = "/" + this.broken.directory().tid() + "/v2.0/.well-known/openid-configuration";
		entra.delay(this.broken.directory().tid(), Duration.ofSeconds(30));

		AtomicBoolean stop = new AtomicBoolean();
		ConcurrentLinkedQueue<TestBrowser.Response> brokenPages = new ConcurrentLinkedQueue<>();
		ExecutorService hammer = Executors.newFixedThreadPool(4);
		List<Future<?>> workers = new ArrayList<>();
		for (int i = 0; i < 4; i++) {
			workers.add(hammer.submit(() -> {
				TestBrowser browser = new TestBrowser();
				while (!stop.get()) {
					brokenPages.add(browser.get(this.broken.url("/oauth/login")));
				}
			}));
		}
		List<Duration> healthySignIns = new ArrayList<>();
		try {
			// while the broken provider is hammered, people of another organisation sign
			// in
			for (int i = 0; i < 4; i++) {
				healthySignIns.add(signIn(healthy, "Person " + i));
			}
			await().atMost(Duration.ofSeconds(15))
				.until(() -> breaker(this.broken).getState() == CircuitBreaker.State.OPEN);
		}
		finally {
			stop.set(true);
			for (Future<?> worker : workers) {
				worker.get(20, TimeUnit.SECONDS);
			}
			hammer.shutdown();
		}
		// a sign-in that waited for the hanging provider would take its timeout (1 s)
		// longer
		Duration bound = normal.multipliedBy(2).plusSeconds(1);
		assertThat(healthySignIns).allSatisfy(took -> assertThat(took).isLessThan(bound));
		assertThat(brokenPages).isNotEmpty().allSatisfy(page -> {
			assertThat(page.status()).isEqualTo(503);
			assertThat(page.header("Retry-After")).isNotBlank();
			assertThat(page.body()).contains("Sign-in service unavailable");
		});

		// open: refused at once, without calling the provider
		int calls = entra.requestsTo(discovery).size();
		long started = System.nanoTime();
		TestBrowser.Response page = new TestBrowser().get(this.broken.url("/oauth/login"));
		assertThat(since(started)).isLessThan(Duration.ofMillis(500));
		assertThat(page.status()).isEqualTo(503);
		assertThat(page.header("Retry-After")).isNotBlank();
		assertThat(page.body()).contains("Sign-in service unavailable");
		assertThat(entra.requestsTo(discovery)).hasSize(calls);
		assertThat(prometheus()).contains("resilience4j_circuitbreaker_state{")
			.containsPattern("name=\"idp [^\"]*" + this.broken.directory().tid() + "/v2.0\",state=\"open\"} 1.0");

		// the provider answers again: after the open interval a trial call closes the
		// breaker
		entra.delay(this.broken.directory().tid(), Duration.ZERO);
		await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(300)).untilAsserted(() -> {
			TestBrowser.Response login = new TestBrowser().get(this.broken.url("/oauth/login"));
			assertThat(login.status()).isEqualTo(302);
			assertThat(login.location()).contains(this.broken.directory().tid() + "/oauth2/v2.0/authorize");
		});
		assertThat(breaker(this.broken).getState()).isEqualTo(CircuitBreaker.State.CLOSED);
	}

	/** A new person of {@code org} signs in; returns how long the three steps took. */
	private Duration signIn(Org org, String name) {
		TestEntra.User user = person(org, name);
		TestBrowser browser = new TestBrowser();
		entra.signInAs(user);
		long started = System.nanoTime();
		TestBrowser.Response done = browser.follow(browser.follow(browser.get(org.url("/oauth/login?next=/home"))));
		Duration took = since(started);
		assertThat(done.location()).as(done.body()).isEqualTo("/home");
		assertThat(browser.get(org.url("/home")).status()).isEqualTo(200);
		return took;
	}

	private CircuitBreaker breaker(Org org) {
		return this.breakers.getAllCircuitBreakers()
			.stream()
			.filter(breaker -> breaker.getName().startsWith("idp ")
					&& breaker.getName().contains(org.directory().tid()))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no circuit breaker for " + org.directory().tid()));
	}

}
