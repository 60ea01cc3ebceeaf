package com.iotorq.lean.gateway.session;

import java.time.Duration;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import org.springframework.data.redis.connection.ReactiveRedisConnection;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.stereotype.Component;

/**
 * Health of the session store, in the health details (not in readiness: live sessions of
 * a memory store, and requests that need no session, are still served when Redis is
 * down).
 */
@Component("sessionStore")
public class SessionStoreHealthIndicator implements ReactiveHealthIndicator {

	private static final Duration TIMEOUT = Duration.ofSeconds(2);

	private final SessionProperties properties;

	private final @Nullable ReactiveRedisConnectionFactory redis;

	public SessionStoreHealthIndicator(SessionProperties properties,
			ObjectProvider<ReactiveRedisConnectionFactory> redis) {
		this.properties = properties;
		this.redis = redis.getIfAvailable();
	}

	@Override
	public Mono<Health> health() {
		if (this.properties.store() == SessionProperties.Store.MEMORY || this.redis == null) {
			return Mono.just(Health.up().withDetail("store", "memory").build());
		}
		// off the event loop: while the shared connection is not open, asking for it
		// opens it, synchronously
		Mono<ReactiveRedisConnection> connect = Mono.fromSupplier(this.redis::getReactiveConnection)
			.subscribeOn(Schedulers.boundedElastic());
		return Mono
			.usingWhen(connect,
					connection -> connection.ping().map(pong -> Health.up().withDetail("store", "redis").build()),
					connection -> connection.closeLater())
			.timeout(TIMEOUT)
			.onErrorResume(ex -> Mono.just(Health.down()
				.withDetail("store", "redis")
				.withDetail("error", ex.getClass().getSimpleName())
				.build()));
	}

}
