package com.iotorq.lean.gateway.reliability;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import com.iotorq.lean.gateway.test.EchoBackend;
import com.iotorq.lean.gateway.test.GatewayInstances;
import com.iotorq.lean.gateway.test.GatewayTestProperties;
import com.iotorq.lean.gateway.test.RoundRobinProxy;
import com.iotorq.lean.gateway.test.TestBrowser;
import com.iotorq.lean.gateway.test.TestSchema;
import com.iotorq.lean.gateway.test.entra.TestEntra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two gateway instances on one PostgreSQL and one Redis behave as one: an account
 * disabled through one loses access on the other within the re-check interval (1 s here);
 * signing out through one ends the session on the other, even where the other served it
 * from its near cache, and so does a new client ID (not a new secret), at once through
 * NOTIFY or, where no notification came, within the re-check interval; an organisation's
 * rate limit is shared. Then a rolling restart of one instance behind a load balancer,
 * under load: readiness flips first, requests in flight finish, and no request is lost.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReplicasIntegrationTests {

	static final TestEntra entra = TestEntra.start();

	static final EchoBackend backend = EchoBackend.start();

	static final int firstPort = GatewayInstances.freePort();

	static ConfigurableApplicationContext first;

	static ConfigurableApplicationContext second;

	@BeforeAll
	static void startTwoInstances() {
		first = start(firstPort);
		second = start(0);
	}

	@AfterAll
	static void stop() {
		GatewayInstances.stop(first, second);
		entra.close();
		backend.close();
	}

	@Test
	@Order(1)
	void accountDisabledThroughOneInstanceThenItsUserLosesAccessOnTheOtherWithinTheInterval() {
		Org org = organisation();
		TestEntra.User ada = person(org, "Ada Lovelace");
		TestBrowser browser = signIn(org, ada);
		assertThat(browser.get(org.url(second, "/home")).status()).isEqualTo(200);
		assertThat(backend.last().header("X-Lean-User-Email")).containsExactly(ada.email());

		account(org, ada.email(), "DISABLED");
		assertSessionEndsOnBothWithinTheInterval(browser, org, Instant.now());
	}

	@Test
	@Order(2)
	void signOutThroughOneInstanceThenTheSessionEndsOnTheOther() {
		Org org = organisation();
		TestEntra.User grace = person(org, "Grace Hopper");
		TestBrowser browser = signIn(org, grace);
		assertThat(browser.get(org.url(second, "/home")).status()).isEqualTo(200);
		// the other instance serves the session from its near cache, without asking Redis
		double hits = nearCacheHits(second);
		await().atMost(Duration.ofSeconds(5))
			.until(() -> browser.get(org.url(second, "/home")).status() == 200 && nearCacheHits(second) > hits);

		TestBrowser.Response logout = browser.post(org.url(first, "/oauth/logout"), "",
				Map.of("Sec-Fetch-Site", "same-origin"));
		assertThat(logout.status()).isEqualTo(302);
		// the browser may have dropped the cookie; a copy of it must not work either: on
		// the other
		// instance within 1 s (its near cache hears of the sign-out over Redis pub/sub)
		await().atMost(Duration.ofSeconds(1))
			.pollInterval(Duration.ofMillis(20))
			.until(() -> browser.get(org.url(second, "/home")).status() == 302);
		TestBrowser.Response after = browser.get(org.url(second, "/home"));
		assertThat(after.status()).isEqualTo(302);
		assertThat(after.location()).startsWith("/oauth/login");
	}

	@Test
	@Order(3)
	void rateLimitWhenSessionsInRedisThenSharedByTheInstances() {
		String slug = "limited-" + UUID.randomUUID().toString().substring(0, 8);
		GatewayInstances.admin(first)
			.put()
			.uri("/admin/tenants/{slug}", slug)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("displayName", "Limited", "requestsPerSecond", 1))
			.exchange()
			.expectStatus()
			.isCreated();
		TestBrowser browser = new TestBrowser();
		String host = slug + "." + GatewayTestProperties.BASE_DOMAIN;
		long started = System.nanoTime();
		int passed = 0;
		for (int i = 0; i < 12; i++) {
			ConfigurableApplicationContext instance = (i % 2 == 0) ? first : second;
			passed += (browser.get("http://" + host + ":" + GatewayInstances.port(instance) + "/r/" + i)
				.status() == 200) ? 1 : 0;
		}
		double seconds = Duration.ofNanos(System.nanoTime() - started).toMillis() / 1000.0;
		// one bucket for both: 2 at once (1 per second, 2 s of burst), then 1 per second
		assertThat(passed).isBetween(2, 2 + (int) Math.ceil(seconds));
	}

	@Test
	@Order(4)
	void rollingRestartOfOneInstanceUnderLoadThenNoRequestIsLost() throws Exception {
		String plain = "rolling-" + UUID.randomUUID().toString().substring(0, 8);
		GatewayInstances.admin(first)
			.put()
			.uri("/admin/tenants/{slug}", plain)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("displayName", "Rolling"))
			.exchange()
			.expectStatus()
			.isCreated();
		String plainHost = plain + "." + GatewayTestProperties.BASE_DOMAIN;
		Org org = organisation();
		TestEntra.User ada = person(org, "Ada Lovelace");
		String session = signIn(org, ada).cookie(org.host(), "LEAN_SESSION");

		try (RoundRobinProxy balancer = new RoundRobinProxy(List.of(firstPort, GatewayInstances.port(second)))) {
			AtomicBoolean stop = new AtomicBoolean();
			Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
			ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
			ExecutorService load = Executors.newFixedThreadPool(4);
			List<Future<?>> workers = new ArrayList<>();
			for (int i = 0; i < 4; i++) {
				boolean signedIn = i % 2 == 0;
				workers.add(load.submit(() -> {
					TestBrowser browser = new TestBrowser();
					String host = signedIn ? org.host() : plainHost;
					if (signedIn) {
						browser.setCookie(host, "LEAN_SESSION", session);
					}
					for (int n = 0; !stop.get(); n++) {
						TestBrowser.Response response = browser
							.get("http://" + host + ":" + balancer.port() + "/load/" + n);
						statuses.computeIfAbsent(response.status(), s -> new AtomicInteger()).incrementAndGet();
						if (response.status() != 200) {
							failures.add(response.status() + " " + response.url() + " " + response.body());
						}
					}
				}));
			}
			Thread.sleep(1000);

			// requests in flight on the instance that is about to stop
			ExecutorService inFlight = Executors.newFixedThreadPool(3);
			List<Future<TimedResponse>> slow = new ArrayList<>();
			for (int i = 0; i < 3; i++) {
				slow.add(inFlight.submit(() -> {
					TestBrowser.Response response = new TestBrowser()
						.get("http://" + plainHost + ":" + firstPort + "/slow?ms=2000");
					return new TimedResponse(response, Instant.now());
				}));
			}
			Thread.sleep(500);
			AtomicReference<Instant> refusingTraffic = new AtomicReference<>();
			first.addApplicationListener((ApplicationListener<AvailabilityChangeEvent<?>>) event -> {
				if (event.getState() == ReadinessState.REFUSING_TRAFFIC) {
					refusingTraffic.compareAndSet(null, Instant.now());
				}
			});
			first.close(); // graceful: returns once the requests in flight are done
			for (Future<TimedResponse> request : slow) {
				TimedResponse done = request.get(30, TimeUnit.SECONDS);
				assertThat(done.response().status()).isEqualTo(200);
				assertThat(refusingTraffic.get()).isNotNull().isBefore(done.at());
			}
			inFlight.shutdown();

			int secondBefore = balancer.answeredBy(GatewayInstances.port(second));
			first = start(firstPort);
			int firstBefore = balancer.answeredBy(firstPort);
			await().atMost(Duration.ofSeconds(20)).until(() -> balancer.answeredBy(firstPort) > firstBefore + 20);
			stop.set(true);
			for (Future<?> worker : workers) {
				worker.get(30, TimeUnit.SECONDS);
			}
			load.shutdown();

			assertThat(failures).as("requests lost during the restart").isEmpty();
			assertThat(statuses.keySet()).containsOnly(200);
			assertThat(statuses.get(200).get()).isGreaterThan(50);
			assertThat(balancer.answeredBy(GatewayInstances.port(second))).isGreaterThan(secondBefore);
		}
	}

	@Test
	@Order(5)
	void clientIdChangedThroughOneInstanceThenSessionsEndOnTheOtherButANewSecretEndsNone() {
		Org org = organisation();
		TestEntra.User ada = person(org, "Ada Lovelace");
		TestBrowser browser = signIn(org, ada);
		assertThat(browser.get(org.url(second, "/home")).status()).isEqualTo(200);

		changeSso(org, Map.of("clientSecret", "rotated-" + UUID.randomUUID()));
		// longer than the account re-check interval: only the settings could end the
		// session
		for (int i = 0; i < 15; i++) {
			assertThat(browser.get(org.url((i % 2 == 0) ? second : first, "/home")).status()).isEqualTo(200);
			sleep(Duration.ofMillis(100));
		}

		changeSso(org, Map.of("clientId", UUID.randomUUID().toString()));
		// the other instance hears of it through NOTIFY: within the re-check interval (1
		// s here), with slack
		await().atMost(Duration.ofMillis(2500))
			.pollInterval(Duration.ofMillis(20))
			.until(() -> browser.get(org.url(second, "/home")).status() == 302);
		TestBrowser.Response elsewhere = browser.get(org.url(first, "/home"));
		assertThat(elsewhere.status()).isEqualTo(302);
		assertThat(elsewhere.location()).startsWith("/oauth/login");
	}

	@Test
	@Order(6)
	void clientIdChangedWithoutANotificationThenSessionsEndWithinTheRecheckInterval() {
		Org org = organisation();
		TestEntra.User ada = person(org, "Ada Lovelace");
		TestBrowser browser = signIn(org, ada);
		assertThat(browser.get(org.url(second, "/home")).status()).isEqualTo(200);

		// as a support engineer's SQL would: neither instance's tenant cache hears of it
		TestSchema.execute(
				"UPDATE sso_settings s SET client_id = ? FROM tenant t WHERE t.id = s.tenant_id AND t.slug = ?",
				UUID.randomUUID().toString(), org.slug());
		assertSessionEndsOnBothWithinTheInterval(browser, org, Instant.now());
	}

	@Test
	@Order(7)
	void accountUnlinkedThroughOneInstanceThenItsSessionEndsOnBothWithinTheInterval() {
		Org org = organisation();
		TestEntra.User ada = person(org, "Ada Lovelace");
		TestBrowser browser = signIn(org, ada);
		assertThat(browser.get(org.url(second, "/home")).status()).isEqualTo(200);

		// the Entra user was deleted and someone else now holds the address: support
		// removes the link
		GatewayInstances.admin(first)
			.delete()
			.uri("/admin/tenants/{slug}/users/{email}/link", org.slug(), ada.email())
			.exchange()
			.expectStatus()
			.isOk();
		assertSessionEndsOnBothWithinTheInterval(browser, org, Instant.now());
	}

	/**
	 * The session ends on the second instance within the re-check interval (1 s here,
	 * with slack) of {@code since}, and the first sends it to sign in too.
	 */
	private static void assertSessionEndsOnBothWithinTheInterval(TestBrowser browser, Org org, Instant since) {
		await().atMost(Duration.ofSeconds(5))
			.pollInterval(Duration.ofMillis(100))
			.until(() -> browser.get(org.url(second, "/home")).status() == 302);
		assertThat(Duration.between(since, Instant.now())).isLessThan(Duration.ofMillis(2500));
		TestBrowser.Response elsewhere = browser.get(org.url(first, "/home"));
		assertThat(elsewhere.status()).isEqualTo(302);
		assertThat(elsewhere.location()).startsWith("/oauth/login");
	}

	private static double nearCacheHits(ConfigurableApplicationContext instance) {
		return instance.getBean(io.micrometer.core.instrument.MeterRegistry.class)
			.get("cache.gets")
			.tag("cache", "lean.sessions")
			.tag("result", "hit")
			.functionCounter()
			.count();
	}

	private static void changeSso(Org org, Map<String, String> changes) {
		Map<String, String> body = new java.util.HashMap<>(
				Map.of("provider", "entra", "entraTenantId", org.directory().tid(), "clientId", org.app().clientId(),
						"mode", "REQUIRED", "provisioning", "EXISTING_ONLY"));
		body.putAll(changes);
		GatewayInstances.admin(first)
			.put()
			.uri("/admin/tenants/{slug}/sso?verify=false", org.slug())
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(body)
			.exchange()
			.expectStatus()
			.isOk();
	}

	private static void sleep(Duration duration) {
		try {
			Thread.sleep(duration.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private record TimedResponse(TestBrowser.Response response, Instant at) {
	}

	// --- instances and fixtures

	private static ConfigurableApplicationContext start(int port) {
		// every request comes from one address, which stands for a whole organisation
		// here (client-share 1)
		return GatewayInstances.start("--server.port=" + port, "--lean.session.store=redis",
				"--lean.backend.default-uri=" + backend.uri(), "--lean.sso.entra.authority=" + entra.authority(),
				"--lean.session.account-recheck-interval=1s", "--lean.sso.sign-in-rate-limit=100000",
				"--lean.rate-limit.client-share=1", "--lean.sso.jwks-refresh-interval=1s",
				"--spring.r2dbc.pool.max-size=5");
	}

	/** An organisation with SSO, whose app accepts the callback of the first instance. */
	private static Org organisation() {
		String slug = "rep-" + UUID.randomUUID().toString().substring(0, 8);
		String secret = "secret-" + UUID.randomUUID();
		TestEntra.Directory directory = entra.directory(UUID.randomUUID().toString());
		String host = slug + "." + GatewayTestProperties.BASE_DOMAIN;
		TestEntra.App app = directory.registerApp(UUID.randomUUID().toString(), secret,
				"http://" + host + ":" + firstPort + "/oauth/complete/");
		WebTestClient admin = GatewayInstances.admin(first);
		admin.put()
			.uri("/admin/tenants/{slug}", slug)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("displayName", "Replicated"))
			.exchange()
			.expectStatus()
			.isCreated();
		admin.put()
			.uri("/admin/tenants/{slug}/sso", slug)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("provider", "entra", "entraTenantId", directory.tid(), "clientId", app.clientId(),
					"clientSecret", secret, "mode", "REQUIRED", "provisioning", "EXISTING_ONLY"))
			.exchange()
			.expectStatus()
			.isOk();
		return new Org(slug, host, directory, app);
	}

	private static TestEntra.User person(Org org, String name) {
		String email = name.toLowerCase(java.util.Locale.ROOT).replace(' ', '.') + "@" + org.slug() + ".example";
		TestEntra.User user = org.directory().addUser(UUID.randomUUID().toString(), email, name);
		org.app().assign(user);
		account(org, email, "ACTIVE");
		return user;
	}

	private static void account(Org org, String email, String status) {
		GatewayInstances.admin(first)
			.put()
			.uri("/admin/tenants/{slug}/users/{email}", org.slug(), email)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("status", status))
			.exchange()
			.expectStatus()
			.is2xxSuccessful();
	}

	/** Signs in through the first instance; returns the browser holding the session. */
	private static TestBrowser signIn(Org org, TestEntra.User user) {
		TestBrowser browser = new TestBrowser();
		entra.signInAs(user);
		TestBrowser.Response done = browser
			.follow(browser.follow(browser.get(org.url(first, "/oauth/login?next=/home"))));
		assertThat(done.location()).as(done.body()).isEqualTo("/home");
		return browser;
	}

	private record Org(String slug, String host, TestEntra.Directory directory, TestEntra.App app) {

		String url(ConfigurableApplicationContext instance, String path) {
			return "http://" + this.host + ":" + GatewayInstances.port(instance) + path;
		}

	}

}
