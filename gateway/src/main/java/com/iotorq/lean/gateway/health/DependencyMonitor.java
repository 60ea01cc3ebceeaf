package com.iotorq.lean.gateway.health;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.context.SmartLifecycle;
import org.springframework.data.redis.connection.ReactiveRedisConnection;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.r2dbc.core.DatabaseClient;

import com.iotorq.lean.gateway.tenant.TenantChangeListener;

/**
 * The state of the gateway's dependencies as metrics, {@code lean.dependency.up} (1 up, 0
 * down) tagged {@code dependency=database|redis|tenant-changes}: probed every
 * {@code interval} in the background, so a scrape never waits on a dependency. Readiness
 * does not follow these (see the health group configuration); alerts should.
 */
public final class DependencyMonitor implements SmartLifecycle {

	public static final String METER = "lean.dependency.up";

	private final DatabaseClient database;

	private final @Nullable ReactiveRedisConnectionFactory redis;

	private final TenantChangeListener listener;

	private final Duration interval;

	private final Duration timeout;

	private final AtomicInteger databaseUp = new AtomicInteger();

	private final AtomicInteger redisUp = new AtomicInteger();

	private volatile @Nullable Disposable probes;

	/**
	 * @param redis the session store's Redis, or {@code null} when sessions are kept in
	 * memory (the gauge then always says up)
	 */
	public DependencyMonitor(DatabaseClient database, @Nullable ReactiveRedisConnectionFactory redis,
			TenantChangeListener listener, Duration interval, Duration timeout) {
		this.database = database;
		this.redis = redis;
		this.listener = listener;
		this.interval = interval;
		this.timeout = timeout;
		this.redisUp.set((redis != null) ? 0 : 1);
	}

	public void bindTo(MeterRegistry registry) {
		gauge(registry, "database", this.databaseUp);
		gauge(registry, "redis", this.redisUp);
		Gauge.builder(METER, this.listener, listener -> listener.isConnected() ? 1 : 0)
			.tag("dependency", "tenant-changes")
			.description("Whether the dependency answers: 1 up, 0 down")
			.register(registry);
	}

	private static void gauge(MeterRegistry registry, String dependency, AtomicInteger state) {
		Gauge.builder(METER, state, AtomicInteger::get)
			.tag("dependency", dependency)
			.description("Whether the dependency answers: 1 up, 0 down")
			.register(registry);
	}

	/** Probes each dependency once; also what the schedule runs. */
	Mono<Void> probe() {
		Mono<Void> database = this.database.sql("SELECT 1")
			.map(row -> 1)
			.first()
			.timeout(this.timeout)
			.onErrorReturn(0)
			.doOnNext(this.databaseUp::set)
			.then();
		ReactiveRedisConnectionFactory factory = this.redis;
		Mono<Void> redis = (factory == null) ? Mono.empty()
				: Mono
					.usingWhen(connect(factory), connection -> connection.ping(), connection -> connection.closeLater())
					.timeout(this.timeout)
					.map(pong -> 1)
					.onErrorReturn(0)
					.doOnNext(this.redisUp::set)
					.then();
		return Mono.when(database, redis);
	}

	/**
	 * Off the probe's parallel thread: while the shared connection is not open (Redis
	 * unreachable at start-up), asking for it opens it, synchronously.
	 */
	private static Mono<ReactiveRedisConnection> connect(ReactiveRedisConnectionFactory factory) {
		return Mono.fromSupplier(factory::getReactiveConnection).subscribeOn(Schedulers.boundedElastic());
	}

	@Override
	public void start() {
		// a tick that comes while a probe is still running is skipped, not an overflow
		// error
		this.probes = Flux.interval(Duration.ZERO, this.interval)
			.onBackpressureDrop()
			.concatMap(tick -> probe(), 0)
			.subscribe();
	}

	@Override
	public void stop() {
		Disposable current = this.probes;
		if (current != null) {
			current.dispose();
		}
	}

	@Override
	public boolean isRunning() {
		Disposable current = this.probes;
		return current != null && !current.isDisposed();
	}

}
