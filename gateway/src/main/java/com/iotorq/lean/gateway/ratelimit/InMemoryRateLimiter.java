package com.iotorq.lean.gateway.ratelimit;

import java.time.Duration;
import java.util.List;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * Token buckets in this replica's memory: with several replicas each one allows the full
 * rate. Buckets of keys nobody uses for ten minutes are forgotten (the slowest bucket,
 * the sign-in limit's, is full again by then).
 */
public final class InMemoryRateLimiter implements RequestRateLimiter {

	private final Cache<String, State> buckets = Caffeine.newBuilder()
		.maximumSize(200_000)
		.expireAfterAccess(Duration.ofMinutes(10))
		.build();

	@Override
	public Mono<Decision> acquire(List<Bucket> buckets) {
		return Mono.just(decide(buckets));
	}

	@Override
	public Decision decideNow(List<Bucket> buckets) {
		return decide(buckets);
	}

	@Override
	public Mono<Void> giveBack(Bucket bucket) {
		state(bucket).add(1, bucket, System.nanoTime());
		return Mono.empty();
	}

	Decision decide(List<Bucket> buckets) {
		long now = System.nanoTime();
		for (int i = 0; i < buckets.size(); i++) {
			Bucket bucket = buckets.get(i);
			Duration wait = state(bucket).take(bucket, now);
			if (wait != null) {
				for (int taken = 0; taken < i; taken++) {
					state(buckets.get(taken)).add(1, buckets.get(taken), now);
				}
				return Decision.refused(wait, i);
			}
		}
		return Decision.ALLOWED;
	}

	Decision decide(Bucket bucket) {
		return decide(List.of(bucket));
	}

	private State state(Bucket bucket) {
		return this.buckets.get(bucket.key(), key -> new State(bucket.capacity()));
	}

	/**
	 * Tokens and when they were last counted; the lock is held for a few arithmetic
	 * operations.
	 */
	static final class State {

		private double tokens;

		private long countedAt;

		State(long capacity) {
			this.tokens = capacity;
			this.countedAt = System.nanoTime();
		}

		/**
		 * @return {@code null} when a token was taken, otherwise how long until there is
		 * one
		 */
		synchronized @Nullable Duration take(Bucket bucket, long now) {
			refill(bucket, now);
			if (this.tokens >= 1) {
				this.tokens -= 1;
				return null;
			}
			return Duration.ofMillis((long) Math.ceil((1 - this.tokens) * 1000 / bucket.perSecond()));
		}

		synchronized void add(double count, Bucket bucket, long now) {
			refill(bucket, now);
			this.tokens = Math.min(bucket.capacity(), this.tokens + count);
		}

		private void refill(Bucket bucket, long now) {
			double refill = (now - this.countedAt) / 1e9 * bucket.perSecond();
			this.tokens = Math.min(bucket.capacity(), this.tokens + Math.max(0, refill));
			this.countedAt = now;
		}

	}

}
