package com.iotorq.lean.gateway.ratelimit;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

import org.springframework.http.MediaType;

import com.iotorq.lean.gateway.test.Flood;
import com.iotorq.lean.gateway.test.SignInTestSupport;
import com.iotorq.lean.gateway.test.TestBrowser;
import com.iotorq.lean.gateway.test.entra.TestEntra;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One client cannot lock out an organisation: anonymous requests are counted per client
 * address and in the organisation's own anonymous budget, so a flood from one address
 * (with or without a made-up session cookie) leaves the budget of the people signed in
 * untouched.
 */
class AnonymousFloodIntegrationTests extends SignInTestSupport {

	private static final int FLOOD = 2000;

	/**
	 * A small organisation: on a busy test machine the flood may reach the gateway slower
	 * than it is sent, and it must still be far over the organisation's budget, as it is
	 * over 200 a second.
	 */
	private static final int REQUESTS_PER_SECOND = 20;

	@Test
	void floodFromOneAddressWhenAPersonIsSignedInThenTheyKeepGetting200() throws Exception {
		Org acme = organisation();
		this.admin.put()
			.uri("/admin/tenants/{slug}", acme.slug())
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("displayName", "Acme", "requestsPerSecond", REQUESTS_PER_SECOND))
			.exchange()
			.expectStatus()
			.isOk();
		TestEntra.User ada = person(acme, "Ada Steady");
		assertThat(signIn(acme, ada, "/").status()).isEqualTo(302);

		AtomicBoolean flooding = new AtomicBoolean(true);
		List<Integer> signedIn = new CopyOnWriteArrayList<>();
		CompletableFuture<Void> person = CompletableFuture.runAsync(() -> {
			while (flooding.get()) {
				// well within the signed-in people's budget
				signedIn.add(this.browser.get(acme.url("/work")).status());
				pause(1000 / REQUESTS_PER_SECOND * 4);
			}
		});
		List<Integer> flood = flood(acme);
		flooding.set(false);
		person.get(30, TimeUnit.SECONDS);

		assertThat(signedIn).hasSizeGreaterThan(10).containsOnly(200);
		// the flood was refused: by its own address's share, not by anything the person
		// needs
		assertThat(flood.stream().filter(status -> status == 429).count()).isGreaterThan(FLOOD / 2);
		assertThat(flood).allMatch(status -> status < 500);
		assertThat(prometheus()).containsPattern(
				"lean_requests_refused_total\\{[^}]*reason=\"client\"[^}]*tenant=\"" + acme.slug() + "\"[^}]*} [1-9]");
	}

	/**
	 * 2,000 anonymous requests in 2 s from this address, half of them with a made-up
	 * session cookie; a connection each, as from many browser tabs.
	 */
	private List<Integer> flood(Org acme) {
		return Flood.send(this.port, acme.host(), null, Flux.interval(Duration.ofMillis(1)).take(FLOOD),
				i -> i % 2 == 1);
	}

	private static void pause(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
