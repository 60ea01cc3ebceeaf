package com.iotorq.lean.gateway.reliability;

import java.time.Duration;
import java.util.Map;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import com.iotorq.lean.gateway.test.ResilienceTestSupport;
import com.iotorq.lean.gateway.test.TcpProxy;
import com.iotorq.lean.gateway.test.TestBrowser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A backend that stops answering: its requests get the 502 page fast; after a few
 * failures its circuit breaker opens and they get it at once, with Retry-After, without a
 * connection attempt; other backends are unaffected; once it is back, a trial request
 * closes the breaker.
 */
class BackendCircuitBreakerIntegrationTests extends ResilienceTestSupport {

	@Autowired
	CircuitBreakerRegistry breakers;

	@Test
	void backendDownThenFast502ThenBreakerOpensWithoutConnectingUntilATrialSucceeds() {
		try (TcpProxy own = new TcpProxy("127.0.0.1", backend.uri().getPort())) {
			String slug = plainOrganisation(Map.of("backendUri", "http://127.0.0.1:" + own.port()));
			String other = plainOrganisation(Map.of());
			TestBrowser browser = new TestBrowser();
			assertThat(browser.get(url(slug, "/up")).status()).isEqualTo(200);
			CircuitBreaker breaker = this.breakers.circuitBreaker("backend 127.0.0.1:" + own.port());

			own.cut();
			for (int i = 0; i < 3; i++) {
				long started = System.nanoTime();
				TestBrowser.Response page = browser.get(url(slug, "/down/" + i));
				assertThat(page.status()).isEqualTo(502);
				assertThat(since(started)).isLessThan(Duration.ofSeconds(1));
			}
			assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.OPEN);

			// back, but the breaker is open: no connection is even tried
			own.restore();
			int connections = own.accepted();
			long started = System.nanoTime();
			TestBrowser.Response page = browser.get(url(slug, "/open"));
			assertThat(since(started)).isLessThan(Duration.ofMillis(500));
			assertThat(page.status()).isEqualTo(502);
			assertThat(page.header("Retry-After")).isEqualTo("3");
			assertThat(page.body()).contains("keeps failing");
			assertThat(own.accepted()).isEqualTo(connections);
			assertThat(browser.get(url(other, "/elsewhere")).status()).isEqualTo(200);

			await().atMost(Duration.ofSeconds(10))
				.pollInterval(Duration.ofMillis(250))
				.untilAsserted(() -> assertThat(browser.get(url(slug, "/again")).status()).isEqualTo(200));
			assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
			assertThat(own.accepted()).isGreaterThan(connections);
		}
	}

}
