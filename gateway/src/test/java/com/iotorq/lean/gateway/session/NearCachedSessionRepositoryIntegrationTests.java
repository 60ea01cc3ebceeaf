package com.iotorq.lean.gateway.session;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.ReactiveRedisTemplate;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.serializer.RedisSerializationContext;
import org.springframework.data.redis.serializer.RedisSerializer;
import org.springframework.session.ReactiveSessionRepository;
import org.springframework.session.Session;
import org.springframework.session.UuidSessionIdGenerator;
import org.springframework.session.data.redis.ReactiveRedisSessionRepository;

import com.iotorq.lean.gateway.test.TcpProxy;
import com.iotorq.lean.gateway.test.TestRedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two replicas' session repositories over one real Redis, each with its near cache,
 * composed as the gateway composes them: a session read recently costs no Redis command;
 * a change or deletion through one replica reaches the other within 1 s; a replica that
 * is not subscribed reads everything from Redis and drops what it cached; requests of one
 * person never see each other's unsaved changes.
 */
class NearCachedSessionRepositoryIntegrationTests {

	private static final Duration TOUCH_INTERVAL = Duration.ofSeconds(60);

	private static final Duration WITHIN = SessionNearCache.MAX_INVALIDATION_DELAY;

	private final TestRedis redis = TestRedis.get();

	/** This test's own session namespace, so that the monitor sees only its commands. */
	private final String namespace = this.redis.namespace() + ":near-" + UUID.randomUUID().toString().substring(0, 8);

	private final List<AutoCloseable> closing = new ArrayList<>();

	@AfterEach
	void close() throws Exception {
		for (int i = this.closing.size() - 1; i >= 0; i--) {
			this.closing.get(i).close();
		}
	}

	@Test
	void sessionReadRecentlyThenServedWithoutAnyRedisCommandAndUnchangedOrTouchedWithinTheIntervalSavesNothing()
			throws Exception {
		Replica a = replica();
		String id = storedSession(a, "user", "ada");
		try (RedisMonitor monitor = monitor()) {
			Session first = a.find(id);
			assertThat(monitor.commands()).as("the first read goes to Redis")
				.anyMatch(line -> line.contains("HGETALL"));
			monitor.clear();

			for (int i = 0; i < 5; i++) {
				Session again = a.find(id);
				assertThat(again.<String>getAttribute("user")).isEqualTo("ada");
				again.setLastAccessedTime(again.getLastAccessedTime().plusSeconds(30));
				a.repository.save(again).block();
			}
			a.repository.save(first).block();
			assertThat(monitor.commands()).as("commands for a session read recently").isEmpty();
		}
	}

	@Test
	void lastAccessWhenDueThenWrittenOnceAndOtherReplicaSeesIt() throws Exception {
		Replica a = replica();
		Replica b = replica();
		String id = storedSession(a, "user", "ada");
		Session onB = b.find(id);
		Instant later = a.find(id).getLastAccessedTime().plus(TOUCH_INTERVAL);
		try (RedisMonitor monitor = monitor()) {
			Session touched = a.find(id);
			touched.setLastAccessedTime(later);
			a.repository.save(touched).block();
			assertThat(monitor.commands()).anyMatch(line -> line.contains("HMSET") || line.contains("HSET"));
		}
		assertThat(onB.getLastAccessedTime()).isBefore(later);
		await().atMost(WITHIN).until(() -> b.find(id).getLastAccessedTime().equals(later));
	}

	@Test
	void sessionDeletedOnOneReplicaThenGoneOnTheOtherWithinOneSecond() {
		Replica a = replica();
		Replica b = replica();
		String id = storedSession(a, "user", "ada");
		a.find(id);
		assertThat(a.cache.size()).isOne();

		b.repository.deleteById(id).block();
		await().atMost(WITHIN)
			.pollInterval(Duration.ofMillis(10))
			.until(() -> a.repository.findById(id).blockOptional().isEmpty());
	}

	@Test
	void sessionChangedOnOneReplicaThenTheOtherSeesTheChangeWithinOneSecond() {
		Replica a = replica();
		Replica b = replica();
		String id = storedSession(a, "user", "ada");
		assertThat(a.find(id).<String>getAttribute("user")).isEqualTo("ada");

		Session onB = b.find(id);
		onB.setAttribute("user", "grace");
		b.repository.save(onB).block();
		await().atMost(WITHIN)
			.pollInterval(Duration.ofMillis(10))
			.until(() -> "grace".equals(a.find(id).getAttribute("user")));
	}

	@Test
	void sessionIdChangedOnOneReplicaThenTheOldIdEndsOnTheOtherWithinOneSecondAndTheNewOneCarriesOn() {
		Replica a = replica();
		Replica b = replica();
		String id = storedSession(a, "user", "ada");
		a.find(id);

		Session signingIn = b.find(id);
		String newId = signingIn.changeSessionId();
		signingIn.setAttribute("signedIn", "yes");
		b.repository.save(signingIn).block();
		assertThat(signingIn.getId()).isEqualTo(newId);

		await().atMost(WITHIN)
			.pollInterval(Duration.ofMillis(10))
			.until(() -> a.repository.findById(id).blockOptional().isEmpty());
		Session renamed = a.find(newId);
		assertThat(renamed.<String>getAttribute("user")).isEqualTo("ada");
		assertThat(renamed.<String>getAttribute("signedIn")).isEqualTo("yes");
	}

	@Test
	void sessionIdChangedOnAReplicaThatServedItFromItsCacheThenRenamedInRedis() {
		Replica a = replica();
		String id = storedSession(a, "user", "ada");
		a.find(id);
		Session cached = a.find(id);
		String newId = cached.changeSessionId();
		a.repository.save(cached).block();

		Replica b = replica();
		assertThat(b.repository.findById(id).blockOptional()).isEmpty();
		assertThat(b.find(newId).<String>getAttribute("user")).isEqualTo("ada");
		assertThat(a.repository.findById(id).blockOptional()).isEmpty();
	}

	@Test
	void replicaNotSubscribedThenEveryReadGoesToRedisAndAMissedDeletionIsNeverServed() throws Exception {
		Replica a = replica();
		Replica b = replica();
		String id = storedSession(a, "user", "ada");
		a.find(id);
		a.invalidations.stop();
		try (RedisMonitor monitor = monitor()) {
			a.find(id);
			a.find(id);
			assertThat(monitor.commands()).filteredOn(line -> line.contains("HGETALL")).hasSize(2);
		}
		// deleted while the replica cannot hear of it
		b.repository.deleteById(id).block();
		assertThat(a.repository.findById(id).blockOptional()).isEmpty();
	}

	@Test
	void subscriptionLostAndBackThenWhatWasCachedBeforeIsDropped() throws Exception {
		TcpProxy proxy = new TcpProxy(this.redis.host(), this.redis.port());
		this.closing.add(proxy);
		Replica a = replica(proxy.port());
		Replica b = replica();
		String id = storedSession(b, "user", "ada");
		a.find(id);
		assertThat(a.cache.size()).isOne();

		proxy.cut();
		await().atMost(WITHIN).until(() -> !a.cache.listening());
		b.repository.deleteById(id).block(); // a misses the invalidation
		proxy.restore();
		await().atMost(Duration.ofSeconds(30)).until(a.cache::listening);
		assertThat(a.repository.findById(id).blockOptional()).isEmpty();
	}

	/**
	 * A connection that dies without a word (no FIN, no RST): only the unanswered PINGs
	 * tell.
	 */
	@Test
	void subscriptionSilentlyDeadThenNearCacheOffWithinOneSecondAndTheMissedDeletionArrivesAfterwards()
			throws Exception {
		FreezingProxy proxy = new FreezingProxy(this.redis.host(), this.redis.port());
		this.closing.add(proxy);
		Replica a = replica(proxy.port());
		Replica b = replica();
		String id = storedSession(b, "user", "ada");
		a.find(id);

		proxy.frozen = true;
		long frozenAt = System.nanoTime();
		b.repository.deleteById(id).block(); // published, but a cannot receive it now
		await().atMost(WITHIN).pollInterval(Duration.ofMillis(10)).until(() -> a.cache.get(id) == null);
		assertThat(Duration.ofNanos(System.nanoTime() - frozenAt)).isLessThan(WITHIN);
		assertThat(a.cache.listening()).isFalse();

		proxy.frozen = false;
		await().atMost(Duration.ofSeconds(30)).until(a.cache::listening);
		assertThat(a.repository.findById(id).blockOptional()).isEmpty();
	}

	@Test
	void requestsOfOnePersonAtOnceThenNeitherSeesNorLosesTheOthersChanges() {
		Replica a = replica();
		String id = storedSession(a, "user", "ada");
		a.find(id);
		Session first = a.find(id);
		Session second = a.find(id);
		assertThat(first).isNotSameAs(second);

		first.setAttribute("next", "/first");
		first.removeAttribute("user");
		assertThat(second.<String>getAttribute("next")).isNull();
		assertThat(second.<String>getAttribute("user")).isEqualTo("ada");
		assertThat(second.getAttributeNames()).containsExactly("user");
		second.setAttribute("theme", "dark");
		a.repository.save(first).block();
		assertThat(second.<String>getAttribute("user")).isEqualTo("ada");
		a.repository.save(second).block();

		Session stored = replica().find(id);
		assertThat(stored.<String>getAttribute("next")).isEqualTo("/first");
		assertThat(stored.<String>getAttribute("theme")).isEqualTo("dark");
		// removed by the first, and not written back by the second, which never changed
		// it
		assertThat(stored.<String>getAttribute("user")).isNull();
		assertThat(a.find(id).getAttributeNames()).containsExactlyInAnyOrder("next", "theme");
	}

	@Test
	void manyRequestsOfOnePersonAtOnceOnTwoReplicasThenEveryChangeIsKept() throws Exception {
		Replica a = replica();
		Replica b = replica();
		String id = storedSession(a, "user", "ada");
		a.find(id);
		b.find(id);
		int requests = 16;
		java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
		try {
			List<java.util.concurrent.Future<?>> running = new ArrayList<>();
			java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
			for (int i = 0; i < requests; i++) {
				Replica replica = (i % 2 == 0) ? a : b;
				String name = "request-" + i;
				running.add(pool.submit(() -> {
					start.await();
					Session session = replica.find(id);
					assertThat(session.getAttributeNames()).doesNotContain(name);
					session.setAttribute(name, name);
					replica.repository.save(session).block();
					return null;
				}));
			}
			start.countDown();
			for (java.util.concurrent.Future<?> request : running) {
				request.get(30, java.util.concurrent.TimeUnit.SECONDS);
			}
		}
		finally {
			pool.shutdown();
		}
		Session stored = replica().find(id);
		for (int i = 0; i < requests; i++) {
			assertThat(stored.<String>getAttribute("request-" + i)).isEqualTo("request-" + i);
		}
		await().atMost(WITHIN)
			.until(() -> a.find(id).getAttributeNames().size() == requests + 1
					&& b.find(id).getAttributeNames().size() == requests + 1);
	}

	@Test
	void sessionDeletedOnThisReplicaThenGoneHereAtOnce() {
		Replica a = replica();
		String id = storedSession(a, "user", "ada");
		a.find(id);
		a.repository.deleteById(id).block();
		assertThat(a.repository.findById(id).blockOptional()).isEmpty();
	}

	// --- replicas

	private String storedSession(Replica replica, String name, String value) {
		Session session = replica.repository.createSession().block();
		session.setAttribute(name, value);
		replica.repository.save(session).block();
		return session.getId();
	}

	private RedisMonitor monitor() throws Exception {
		return new RedisMonitor(this.redis.host(), this.redis.port(), this.namespace);
	}

	private Replica replica() {
		return replica(this.redis.port());
	}

	/**
	 * A replica's session repository, composed as {@link SessionConfiguration} composes
	 * it.
	 */
	private Replica replica(int port) {
		LettuceConnectionFactory connections = new LettuceConnectionFactory(this.redis.host(), port);
		connections.afterPropertiesSet();
		connections.start();
		this.closing.add(connections::destroy);
		RedisSerializationContext<String, Object> serialization = RedisSerializationContext
			.<String, Object>newSerializationContext(new SessionJsonSerializer())
			.key(RedisSerializer.string())
			.hashKey(RedisSerializer.string())
			.build();
		ReactiveRedisSessionRepository redis = new ReactiveRedisSessionRepository(
				new ReactiveRedisTemplate<>(connections, serialization));
		redis.setRedisKeyNamespace(this.namespace);
		PresetSessionIds ids = new PresetSessionIds(UuidSessionIdGenerator.getInstance());
		redis.setSessionIdGenerator(ids);
		SessionNearCache cache = new SessionNearCache(new NearCacheProperties(true, 1000, Duration.ofSeconds(10)));
		RedisSessionInvalidations invalidations = new RedisSessionInvalidations(connections::getRequiredNativeClient,
				new ReactiveStringRedisTemplate(connections), this.namespace + ":invalidated", cache);
		invalidations.start();
		this.closing.add(invalidations::stop);
		@SuppressWarnings({ "unchecked", "rawtypes" })
		ReactiveSessionRepository<Session> store = (ReactiveSessionRepository) new UnreadableSessionsAsAbsent<>(redis);
		ReactiveSessionRepository<Session> repository = new TouchThrottlingSessionRepository<>(
				new NearCachedSessionRepository(store, cache, invalidations::publish, ids), TOUCH_INTERVAL);
		// connecting may take a while on a busy machine
		await().atMost(Duration.ofSeconds(30)).until(cache::listening);
		return new Replica(repository, cache, invalidations);
	}

	/**
	 * Relays connections to Redis; while frozen, it holds every byte back without closing
	 * anything.
	 */
	private static final class FreezingProxy implements AutoCloseable {

		private final java.net.ServerSocket server = new java.net.ServerSocket(0, 50,
				java.net.InetAddress.getLoopbackAddress());

		private final List<java.net.Socket> sockets = new java.util.concurrent.CopyOnWriteArrayList<>();

		volatile boolean frozen;

		FreezingProxy(String host, int port) throws java.io.IOException {
			Thread acceptor = new Thread(() -> {
				while (!this.server.isClosed()) {
					try {
						java.net.Socket client = this.server.accept();
						java.net.Socket upstream = new java.net.Socket(host, port);
						this.sockets.add(client);
						this.sockets.add(upstream);
						pump(client, upstream);
						pump(upstream, client);
					}
					catch (java.io.IOException ex) {
						// closed
					}
				}
			}, "freezing-proxy");
			acceptor.setDaemon(true);
			acceptor.start();
		}

		int port() {
			return this.server.getLocalPort();
		}

		private void pump(java.net.Socket from, java.net.Socket to) {
			Thread pump = new Thread(() -> {
				byte[] buffer = new byte[16384];
				try {
					for (int n = from.getInputStream().read(buffer); n >= 0; n = from.getInputStream().read(buffer)) {
						while (this.frozen) {
							Thread.sleep(5);
						}
						to.getOutputStream().write(buffer, 0, n);
						to.getOutputStream().flush();
					}
				}
				catch (java.io.IOException | InterruptedException ex) {
					// closed
				}
			}, "freezing-proxy-pump");
			pump.setDaemon(true);
			pump.start();
		}

		@Override
		public void close() throws java.io.IOException {
			this.frozen = false;
			this.server.close();
			for (java.net.Socket socket : this.sockets) {
				socket.close();
			}
		}

	}

	private record Replica(ReactiveSessionRepository<Session> repository, SessionNearCache cache,
			RedisSessionInvalidations invalidations) {

		Session find(String id) {
			Session found = this.repository.findById(id).block();
			assertThat(found).as("session").isNotNull();
			return found;
		}

	}

}
