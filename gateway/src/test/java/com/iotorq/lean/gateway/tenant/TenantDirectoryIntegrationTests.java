package com.iotorq.lean.gateway.tenant;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import io.r2dbc.spi.ConnectionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

import org.springframework.r2dbc.core.DatabaseClient;

import com.iotorq.lean.gateway.test.TcpProxy;
import com.iotorq.lean.gateway.test.TestDatabase;
import com.iotorq.lean.gateway.test.TestSchema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The tenant cache against the real database: one query per stampede, negative caching,
 * stale values while the database is unreachable, and resynchronisation after the change
 * listener lost its connection.
 */
class TenantDirectoryIntegrationTests {

	private final TestDatabase database = TestSchema.migrated();

	private final TcpProxy proxy = new TcpProxy(this.database.host(), this.database.port());

	private final AtomicInteger queries = new AtomicInteger();

	private TenantChangeListener listener;

	@AfterEach
	void close() {
		if (this.listener != null) {
			this.listener.stop();
		}
		this.proxy.close();
	}

	@Test
	void findWhen500ConcurrentMissesThenOneQuery() {
		String slug = newTenant();
		TenantDirectory directory = directory(settings(Duration.ofMinutes(1)));
		List<Tenant> found = Flux.range(0, 500)
			.parallel(16)
			.runOn(Schedulers.parallel())
			.flatMap(i -> directory.find(slug))
			.sequential()
			.collectList()
			.block(Duration.ofSeconds(10));
		assertThat(found).hasSize(500).allSatisfy(tenant -> assertThat(tenant.slug()).isEqualTo(slug));
		assertThat(this.queries).hasValue(1);
	}

	@Test
	void findWhenUnknownSlugsThenEachQueriedOnceAndRememberedAsUnknown() {
		TenantDirectory directory = directory(settings(Duration.ofMinutes(1)));
		List<String> slugs = Flux.range(0, 200)
			.map(i -> "nobody-" + UUID.randomUUID().toString().substring(0, 8))
			.collectList()
			.block();
		for (int round = 0; round < 3; round++) {
			StepVerifier.create(Flux.fromIterable(slugs).flatMap(directory::find, 8)).verifyComplete();
		}
		assertThat(this.queries).hasValue(200);
	}

	@Test
	void findWhenTenantCreatedAfterBeingUnknownThenFoundOnceEvicted() {
		TenantDirectory directory = directory(settings(Duration.ofMinutes(1)));
		String slug = "later-" + UUID.randomUUID().toString().substring(0, 8);
		StepVerifier.create(directory.find(slug)).verifyComplete();
		TestSchema.insertTenant(slug, "Later Ltd");
		StepVerifier.create(directory.find(slug)).verifyComplete();
		directory.evict(slug);
		StepVerifier.create(directory.find(slug).map(Tenant::displayName)).expectNext("Later Ltd").verifyComplete();
	}

	@Test
	void findWhenDatabaseUnreachableThenLastGoodValueServes() {
		String slug = newTenant();
		TenantDirectory directory = directory(settings(Duration.ofMillis(100)));
		StepVerifier.create(directory.find(slug).map(Tenant::slug)).expectNext(slug).verifyComplete();
		this.proxy.cut();
		for (int i = 0; i < 5; i++) {
			sleep(150); // past refreshAfter: every read now triggers a reload, which
						// fails
			StepVerifier.create(directory.find(slug).map(Tenant::slug)).expectNext(slug).verifyComplete();
		}
		assertThat(this.queries.get()).isGreaterThan(1);
	}

	@Test
	void findWhenDatabaseUnreachableAndNothingCachedThenErrorIsNotCachedAsUnknown() {
		String slug = newTenant();
		TenantDirectory directory = directory(settings(Duration.ofMinutes(1)));
		this.proxy.cut();
		StepVerifier.create(directory.find(slug)).expectError().verify(Duration.ofSeconds(5));
		this.proxy.restore();
		StepVerifier.create(directory.find(slug).map(Tenant::slug)).expectNext(slug).verifyComplete();
	}

	@Test
	void findWhenLoadedFromTheDatabaseThenAnswersOnTheEventLoopThatAsked() throws Exception {
		TenantDirectory directory = directory(settings(Duration.ofMinutes(1)));
		EventLoop request = new DefaultEventLoop();
		try {
			// the load completes on a database driver thread: the request must go on on
			// its own loop
			String unknown = "nobody-" + UUID.randomUUID().toString().substring(0, 8);
			assertThat(request.inEventLoop(answeredOn(request, directory.find(newTenant())))).isTrue();
			assertThat(request.inEventLoop(answeredOn(request, directory.find(unknown)))).isTrue();
		}
		finally {
			request.shutdownGracefully(0, 1, TimeUnit.SECONDS);
		}
	}

	private static Thread answeredOn(EventLoop loop, Mono<Tenant> find) throws Exception {
		CompletableFuture<Thread> answered = new CompletableFuture<>();
		loop.execute(() -> find.then(Mono.fromCallable(Thread::currentThread))
			.subscribe(answered::complete, answered::completeExceptionally));
		return answered.get(5, TimeUnit.SECONDS);
	}

	@Test
	void listenerWhenNotifiedThenEvicts() {
		String slug = newTenant();
		TenantDirectory directory = directory(settings(Duration.ofMinutes(10)));
		startListener(directory);
		await().atMost(Duration.ofSeconds(5)).until(this.listener::isConnected);
		StepVerifier.create(directory.find(slug).map(Tenant::displayName)).expectNext("Acme " + slug).verifyComplete();
		TestSchema.execute("UPDATE tenant SET display_name = 'Renamed' WHERE slug = ?", slug);
		TestSchema.execute("SELECT pg_notify(?, ?)", TenantChangeNotifier.CHANNEL, slug);
		await().atMost(Duration.ofSeconds(1))
			.untilAsserted(
					() -> assertThat(directory.find(slug).map(Tenant::displayName).block()).isEqualTo("Renamed"));
	}

	@Test
	void listenerWhenConnectionLostThenReconnectsAndReloadsEverything() {
		String slug = newTenant();
		TenantDirectory directory = directory(settings(Duration.ofMinutes(10)));
		startListener(directory);
		await().atMost(Duration.ofSeconds(5)).until(this.listener::isConnected);
		StepVerifier.create(directory.find(slug).map(Tenant::displayName)).expectNext("Acme " + slug).verifyComplete();

		this.proxy.cut();
		await().atMost(Duration.ofSeconds(5)).until(() -> !this.listener.isConnected());
		// a change made while this replica could not hear about it
		TestSchema.execute("UPDATE tenant SET display_name = 'Changed while away' WHERE slug = ?", slug);
		this.proxy.restore();

		await().atMost(Duration.ofSeconds(20)).until(this.listener::isConnected);
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(directory.find(slug).map(Tenant::displayName).block())
				.isEqualTo("Changed while away"));
	}

	private void startListener(TenantDirectory directory) {
		ConnectionFactory connections = TestSchema.connectionFactory(this.database, "127.0.0.1", this.proxy.port());
		this.listener = new TenantChangeListener(connections, directory, Duration.ofMillis(500));
		this.listener.start();
	}

	private TenantDirectory directory(TenantCacheProperties settings) {
		ConnectionFactory connections = TestSchema.connectionFactory(this.database, "127.0.0.1", this.proxy.port());
		TenantRepository repository = new TenantRepository(DatabaseClient.create(connections));
		TenantLookup counting = slug -> Mono.defer(() -> {
			this.queries.incrementAndGet();
			return repository.findBySlug(slug);
		});
		return new TenantDirectory(counting, settings);
	}

	private static TenantCacheProperties settings(Duration refreshAfter) {
		return new TenantCacheProperties(1000, refreshAfter, Duration.ofHours(1), 1000, Duration.ofMinutes(1),
				Duration.ofSeconds(3));
	}

	private static String newTenant() {
		String slug = "t-" + UUID.randomUUID().toString().substring(0, 8);
		TestSchema.insertTenant(slug, "Acme " + slug);
		return slug;
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
