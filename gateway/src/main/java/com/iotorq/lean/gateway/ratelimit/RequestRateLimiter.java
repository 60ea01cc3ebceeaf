package com.iotorq.lean.gateway.ratelimit;

import java.time.Duration;
import java.util.List;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * Token buckets, one per key: each request takes a token, tokens come back at
 * {@code perSecond}, and a bucket holds at most {@code capacity}.
 */
public interface RequestRateLimiter {

	/**
	 * Takes a token from every bucket, or from none when one of them is empty (a refused
	 * request uses up nothing).
	 * @return whether the request may pass, and if not, which bucket refused it and when
	 * it will have a token
	 */
	Mono<Decision> acquire(List<Bucket> buckets);

	/**
	 * The decision of {@link #acquire}, taken at once where the limiter can (its tokens
	 * are in this process).
	 * @return the decision, or {@code null} when it must wait: call {@link #acquire}
	 */
	default @Nullable Decision decideNow(List<Bucket> buckets) {
		return null;
	}

	default Mono<Decision> acquire(Bucket bucket) {
		return acquire(List.of(bucket));
	}

	/** Puts a token back, up to the capacity: a request that turned out not to count. */
	Mono<Void> giveBack(Bucket bucket);

	/**
	 * @param key what is counted, e.g. an organisation's id
	 * @param perSecond how many tokens come back per second
	 * @param capacity the most tokens the bucket holds, at least 1
	 */
	record Bucket(String key, double perSecond, long capacity) {
	}

	/**
	 * @param allowed whether the request may pass
	 * @param retryAfter when the next token comes, for a refused request
	 * @param refusedBy the index of the bucket that refused the request, -1 when allowed
	 */
	record Decision(boolean allowed, Duration retryAfter, int refusedBy) {

		static final Decision ALLOWED = new Decision(true, Duration.ZERO, -1);

		static Decision refused(Duration retryAfter, int refusedBy) {
			return new Decision(false, retryAfter, refusedBy);
		}

		/** Retry-After counts whole seconds: at least one. */
		public Duration retryAfterSeconds() {
			return Duration.ofSeconds(Math.max(1, (this.retryAfter.toMillis() + 999) / 1000));
		}

	}

}
