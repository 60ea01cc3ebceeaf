package com.iotorq.lean.gateway.ratelimit;

import java.time.Duration;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import reactor.core.publisher.Mono;

/**
 * Token buckets in this replica's memory: with several replicas each one allows the full rate.
 * Buckets of keys nobody uses for a minute are forgotten (they would be full again by then).
 */
public final class InMemoryRateLimiter implements RequestRateLimiter {

	private final Cache<String, Bucket> buckets = Caffeine.newBuilder()
		.maximumSize(100_000)
		.expireAfterAccess(Duration.ofMinutes(1))
		.build();

	@Override
	public Mono<Decision> acquire(String key, int requestsPerSecond, long capacity) {
		return Mono.just(decide(key, requestsPerSecond, capacity));
	}

	Decision decide(String key, int requestsPerSecond, long capacity) {
		return this.buckets.get(key, k -> new Bucket(capacity)).take(requestsPerSecond, capacity, System.nanoTime());
	}

	/** Tokens and when they were last counted; the lock is held for a few arithmetic operations. */
	static final class Bucket {

		private double tokens;

		private long countedAt;

		Bucket(long capacity) {
			this.tokens = capacity;
			this.countedAt = System.nanoTime();
		}

		synchronized Decision take(int requestsPerSecond, long capacity, long now) {
			double refill = (now - this.countedAt) / 1e9 * requestsPerSecond;
			this.tokens = Math.min(capacity, this.tokens + Math.max(0, refill));
			this.countedAt = now;
			if (this.tokens >= 1) {
				this.tokens -= 1;
				return Decision.ALLOWED;
			}
			long waitMillis = (long) Math.ceil((1 - this.tokens) * 1000 / requestsPerSecond);
			return Decision.refused(Duration.ofMillis(waitMillis));
		}

	}

}
