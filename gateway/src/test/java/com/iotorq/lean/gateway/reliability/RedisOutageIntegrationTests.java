package com.iotorq.lean.gateway.reliability;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import com.iotorq.lean.gateway.session.RedisSessionInvalidations;
import com.iotorq.lean.gateway.test.GatewayTestProperties;
import com.iotorq.lean.gateway.test.ResilienceTestSupport;
import com.iotorq.lean.gateway.test.TestBrowser;
import com.iotorq.lean.gateway.test.entra.TestEntra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Redis down with the Redis session store: a request that needs its session gets a clear
 * 503 page within the command timeout ({@code spring.data.redis.timeout}, 1 s here);
 * organisations without sign-in never load a session, so they keep working at full speed
 * (the rate limit falls back to counting per replica); once Redis is back, sessions work
 * again.
 */
class RedisOutageIntegrationTests extends ResilienceTestSupport {

	@Autowired
	private RedisSessionInvalidations invalidations;

	@Test
	void redisDownWhenRequestNeedsSessionThen503WithinCommandTimeoutWhileOrganisationsWithoutSsoWork() {
		Org acme = organisation();
		TestEntra.User ada = person(acme, "Ada Lovelace");
		assertThat(signIn(acme, ada, "/").status()).isEqualTo(302);
		assertThat(this.browser.get(acme.url("/before")).status()).isEqualTo(200);
		String plain = plainOrganisation(Map.of());
		// a session cookie on the plain organisation's host too: it must not make the
		// gateway look it up
		TestBrowser visitor = new TestBrowser();
		visitor.setCookie(plain + "." + GatewayTestProperties.BASE_DOMAIN, "LEAN_SESSION",
				this.browser.cookie(acme.host(), "LEAN_SESSION"));
		assertThat(visitor.get(url(plain, "/before")).status()).isEqualTo(200);

		redis.cut();
		try {
			// the near cache turns off as the subscription goes (at the latest within 1
			// s, when the
			// connection dies without a word): no session is served that Redis cannot
			// vouch for
			await().atMost(Duration.ofSeconds(1)).until(() -> !this.invalidations.isListening());
			long started = System.nanoTime();
			TestBrowser.Response page = this.browser.get(acme.url("/during"));
			assertThat(since(started)).isLessThan(Duration.ofMillis(2500));
			assertThat(page.status()).isEqualTo(503);
			assertThat(page.header("Retry-After")).isNotBlank();
			assertThat(page.header("X-Lean-Error")).isEqualTo("service-unavailable");
			assertThat(page.body()).contains("Temporarily unavailable", "session store");

			for (int i = 0; i < 5; i++) {
				long each = System.nanoTime();
				TestBrowser.Response other = visitor.get(url(plain, "/during/" + i));
				assertThat(other.status()).as(other.body()).isEqualTo(200);
				assertThat(since(each)).isLessThan(Duration.ofMillis(800));
			}
		}
		finally {
			redis.restore();
		}
		// the session was never lost: it is in Redis, which answers again
		await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
			TestBrowser.Response after = this.browser.get(acme.url("/after"));
			assertThat(after.status()).isEqualTo(200);
			assertThat(backend.last().header("X-Lean-User-Email")).containsExactly(ada.email());
		});
	}

}
