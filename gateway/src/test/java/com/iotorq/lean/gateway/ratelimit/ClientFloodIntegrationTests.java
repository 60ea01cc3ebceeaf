package com.iotorq.lean.gateway.ratelimit;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;

import com.iotorq.lean.gateway.test.Flood;
import com.iotorq.lean.gateway.test.SignInTestSupport;
import com.iotorq.lean.gateway.test.TestBrowser;
import com.iotorq.lean.gateway.test.TestRedis;
import com.iotorq.lean.gateway.test.entra.TestEntra;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What one client, or a few, can cost an organisation and the session store, behind the
 * ingress (a trusted proxy that names the client in {@code X-Forwarded-For}), with
 * sessions in Redis:
 * <ul>
 * <li>made-up session cookies from one address cost a bounded number of session store
 * reads, not one each, and never store a session;</li>
 * <li>an IPv6 /64 is one client, however many addresses it sends from;</li>
 * <li>a few addresses that use up the organisation's anonymous budget do not stop anyone
 * from signing in.</li>
 * </ul>
 */
@TestPropertySource(properties = { "lean.session.store=redis", "lean.gateway.trusted-proxies=127\\.0\\.0\\.1",
		"lean.rate-limit.failed-session-lookups-per-minute=" + ClientFloodIntegrationTests.FAILED_LOOKUPS })
class ClientFloodIntegrationTests extends SignInTestSupport {

	static final int FAILED_LOOKUPS = 20;

	/**
	 * Anonymous budget 20 a second (40 at once), each client a quarter of it: 5 a second,
	 * 10 at once.
	 */
	private static final int REQUESTS_PER_SECOND = 20;

	@Autowired
	private MeterRegistry meters;

	@Test
	void madeUpSessionCookiesFromOneAddressThenBoundedStoreReadsAndNoSessionStored() throws Exception {
		Org acme = limitedOrganisation(true);
		TestEntra.User ada = person(acme, "Ada Steady");
		assertThat(signIn(acme, ada, "/").status()).isEqualTo(302);
		long sessionsBefore = storedSessions();
		long readsBefore = sessionReads();

		AtomicBoolean flooding = new AtomicBoolean(true);
		List<Integer> signedIn = new CopyOnWriteArrayList<>();
		CompletableFuture<Void> person = CompletableFuture.runAsync(() -> {
			while (flooding.get()) {
				signedIn.add(this.browser.get(acme.url("/work")).status());
				pause(200);
			}
		});
		List<Integer> flood = flood(acme, "198.51.100.66", 1000, true);
		flooding.set(false);
		person.get(30, TimeUnit.SECONDS);
		long reads = sessionReads() - readsBefore - signedIn.size();

		assertThat(signedIn).hasSizeGreaterThan(3).containsOnly(200);
		assertThat(flood).allMatch(status -> status < 500);
		// the lookup budget, the few the client's share lets through to Spring Security,
		// and those
		// in flight when the budget ran out: far fewer than one a request
		assertThat(reads).as("session store reads for 1000 made-up cookies").isLessThan(200);
		assertThat(storedSessions()).as("sessions stored").isEqualTo(sessionsBefore);
	}

	@Test
	void anIpv6SlashSixtyFourWhenSendingFromManyAddressesThenOneClient() {
		Org plain = limitedOrganisation(false);
		List<Integer> statuses = new ArrayList<>();
		for (int i = 1; i <= 30; i++) {
			statuses.add(new TestBrowser()
				.get(plain.url("/r/" + i), Map.of("X-Forwarded-For", "2001:db8:77:1::" + Integer.toHexString(i)))
				.status());
		}
		// 10 at once, then 5 a second: each address on its own would have passed
		assertThat(statuses.stream().filter(status -> status == 200).count()).isBetween(10L, 25L);
		assertThat(statuses).contains(429);
		// another /64 is another client
		assertThat(new TestBrowser().get(plain.url("/other"), Map.of("X-Forwarded-For", "2001:db8:77:2::1")).status())
			.isEqualTo(200);
		assertThat(prometheus()).containsPattern(
				"lean_requests_refused_total\\{[^}]*reason=\"client\"[^}]*tenant=\"" + plain.slug() + "\"[^}]*} [1-9]");
	}

	@Test
	void fourAddressesUsingUpTheAnonymousBudgetWhenAFifthSignsInThenEverySignInCompletes() throws Exception {
		Org acme = limitedOrganisation(true);
		List<TestEntra.User> people = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			people.add(person(acme, "Person " + i));
		}
		AtomicBoolean flooding = new AtomicBoolean(true);
		List<CompletableFuture<List<Integer>>> flooders = new ArrayList<>();
		for (int a = 1; a <= 4; a++) {
			String address = "203.0.113." + a;
			flooders.add(CompletableFuture.supplyAsync(() -> floodWhile(acme, address, flooding)));
		}
		pause(1000);

		for (TestEntra.User user : people) {
			TestBrowser browser = new TestBrowser().always("X-Forwarded-For", "198.51.100.5");
			entra.signInAs(user);
			TestBrowser.Response login = browser.get(acme.url("/oauth/login?next=/start"));
			assertThat(login.status()).as("login of %s", user.email()).isEqualTo(302);
			TestBrowser.Response callback = browser.follow(browser.follow(login));
			assertThat(callback.status()).as("callback of %s", user.email()).isEqualTo(302);
			assertThat(callback.location()).isEqualTo("/start");
			assertThat(browser.get(acme.url("/start")).status()).isEqualTo(200);
		}
		flooding.set(false);
		for (CompletableFuture<List<Integer>> flooder : flooders) {
			assertThat(flooder.get(60, TimeUnit.SECONDS)).allMatch(status -> status < 500);
		}
		// the flood did use up the organisation's anonymous budget
		assertThat(prometheus()).containsPattern("lean_requests_refused_total\\{[^}]*reason=\"anonymous\"[^}]*tenant=\""
				+ acme.slug() + "\"[^}]*} [1-9]");
	}

	/**
	 * An organisation of {@value #REQUESTS_PER_SECOND} requests a second, with SSO or
	 * without.
	 */
	private Org limitedOrganisation(boolean sso) {
		Org org = sso ? organisation()
				: new Org("plain-" + UUID.randomUUID().toString().substring(0, 8), null, null, null, this.port);
		this.admin.put()
			.uri("/admin/tenants/{slug}", org.slug())
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("displayName", "Limited", "requestsPerSecond", REQUESTS_PER_SECOND))
			.exchange()
			.expectStatus()
			.is2xxSuccessful();
		return org;
	}

	/**
	 * {@code count} anonymous requests from one client address, 64 at a time, each on a
	 * connection of its own.
	 */
	private List<Integer> flood(Org org, String address, int count, boolean madeUpCookies) {
		return Flood.send(this.port, org.host(), address, Flux.interval(Duration.ofMillis(1)).take(count),
				i -> madeUpCookies);
	}

	private List<Integer> floodWhile(Org org, String address, AtomicBoolean flooding) {
		return Flood.send(this.port, org.host(), address,
				Flux.interval(Duration.ofMillis(10)).takeWhile(i -> flooding.get()), i -> false);
	}

	/** Session store reads so far: Spring Session's look-ups by id, successful or not. */
	private long sessionReads() {
		return this.meters.find("lean.session.store")
			.tag("operation", "find")
			.timers()
			.stream()
			.mapToLong(Timer::count)
			.sum();
	}

	private static long storedSessions() {
		TestRedis test = TestRedis.get();
		RedisClient client = RedisClient.create(RedisURI.create(test.host(), test.port()));
		try (StatefulRedisConnection<String, String> redis = client.connect()) {
			return redis.sync().keys(test.namespace() + ":session:sessions:*").size();
		}
		finally {
			client.shutdown();
		}
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
