package com.iotorq.lean.gateway.ratelimit;

import java.time.Duration;

import reactor.core.publisher.Mono;

/**
 * Token buckets, one per key: each request takes a token, tokens come back at
 * {@code requestsPerSecond}, and a bucket holds at most {@code capacity}.
 */
public interface RequestRateLimiter {

	/** @return whether the request may pass, and if not, when a token will be there */
	Mono<Decision> acquire(String key, int requestsPerSecond, long capacity);

	/**
	 * @param allowed whether the request may pass
	 * @param retryAfter when the next token comes, for a refused request
	 */
	record Decision(boolean allowed, Duration retryAfter) {

		static final Decision ALLOWED = new Decision(true, Duration.ZERO);

		static Decision refused(Duration retryAfter) {
			return new Decision(false, retryAfter);
		}

	}

}
