package com.iotorq.lean.gateway.ratelimit;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class InMemoryRateLimiterTests {

	private static final long SECOND = 1_000_000_000L;

	@Test
	void takeWhenBucketFullThenCapacityPassesAtOnceThenOneTokenPerInterval() {
		InMemoryRateLimiter.Bucket bucket = new InMemoryRateLimiter.Bucket(4);
		long now = System.nanoTime();
		for (int i = 0; i < 4; i++) {
			assertThat(bucket.take(2, 4, now).allowed()).isTrue();
		}
		RequestRateLimiter.Decision refused = bucket.take(2, 4, now);
		assertThat(refused.allowed()).isFalse();
		assertThat(refused.retryAfter()).isEqualTo(Duration.ofMillis(500));
		assertThat(bucket.take(2, 4, now + SECOND / 2).allowed()).isTrue();
		assertThat(bucket.take(2, 4, now + SECOND / 2).allowed()).isFalse();
	}

	@Test
	void takeWhenIdleForLongThenNoMoreThanCapacity() {
		InMemoryRateLimiter.Bucket bucket = new InMemoryRateLimiter.Bucket(3);
		long later = System.nanoTime() + 3600 * SECOND;
		int passed = 0;
		for (int i = 0; i < 10; i++) {
			passed += bucket.take(100, 3, later).allowed() ? 1 : 0;
		}
		assertThat(passed).isEqualTo(3);
	}

	@Test
	void decideWhenKeysDifferThenBucketsAreSeparate() {
		InMemoryRateLimiter limiter = new InMemoryRateLimiter();
		assertThat(limiter.decide("a", 1, 1).allowed()).isTrue();
		assertThat(limiter.decide("a", 1, 1).allowed()).isFalse();
		assertThat(limiter.decide("b", 1, 1).allowed()).isTrue();
	}

	@Test
	void capacityWhenBurstTwoSecondsThenTwiceTheRateAndAtLeastOne() {
		RateLimitProperties properties = new RateLimitProperties(true, 200, Duration.ofSeconds(2), Duration.ofMillis(250),
				Duration.ofSeconds(5));
		assertThat(properties.capacity(5)).isEqualTo(10);
		assertThat(new RateLimitProperties(true, 200, Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofSeconds(5))
			.capacity(1)).isEqualTo(1);
	}

}
