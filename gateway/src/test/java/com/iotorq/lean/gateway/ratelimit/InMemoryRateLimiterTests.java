package com.iotorq.lean.gateway.ratelimit;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.iotorq.lean.gateway.ratelimit.RequestRateLimiter.Bucket;

import static org.assertj.core.api.Assertions.assertThat;

class InMemoryRateLimiterTests {

	private static final long SECOND = 1_000_000_000L;

	@Test
	void takeWhenBucketFullThenCapacityPassesAtOnceThenOneTokenPerInterval() {
		Bucket limit = new Bucket("a", 2, 4);
		InMemoryRateLimiter.State bucket = new InMemoryRateLimiter.State(4);
		long now = System.nanoTime();
		for (int i = 0; i < 4; i++) {
			assertThat(bucket.take(limit, now)).isNull();
		}
		assertThat(bucket.take(limit, now)).isEqualTo(Duration.ofMillis(500));
		assertThat(bucket.take(limit, now + SECOND / 2)).isNull();
		assertThat(bucket.take(limit, now + SECOND / 2)).isNotNull();
	}

	@Test
	void takeWhenIdleForLongThenNoMoreThanCapacity() {
		Bucket limit = new Bucket("a", 100, 3);
		InMemoryRateLimiter.State bucket = new InMemoryRateLimiter.State(3);
		long later = System.nanoTime() + 3600 * SECOND;
		int passed = 0;
		for (int i = 0; i < 10; i++) {
			passed += (bucket.take(limit, later) == null) ? 1 : 0;
		}
		assertThat(passed).isEqualTo(3);
	}

	@Test
	void decideWhenKeysDifferThenBucketsAreSeparate() {
		InMemoryRateLimiter limiter = new InMemoryRateLimiter();
		assertThat(limiter.decide(new Bucket("a", 1, 1)).allowed()).isTrue();
		assertThat(limiter.decide(new Bucket("a", 1, 1)).allowed()).isFalse();
		assertThat(limiter.decide(new Bucket("b", 1, 1)).allowed()).isTrue();
	}

	@Test
	void decideWhenOneOfTwoBucketsIsEmptyThenRefusedByItAndTheOtherKeepsItsToken() {
		InMemoryRateLimiter limiter = new InMemoryRateLimiter();
		Bucket organisation = new Bucket("organisation", 0.001, 2);
		Bucket client = new Bucket("client", 0.001, 1);
		assertThat(limiter.decide(List.of(organisation, client)).allowed()).isTrue();
		RequestRateLimiter.Decision refused = limiter.decide(List.of(organisation, client));
		assertThat(refused.allowed()).isFalse();
		assertThat(refused.refusedBy()).isEqualTo(1);
		// the refused request took nothing from the organisation: its last token is still
		// there
		assertThat(limiter.decide(List.of(organisation, new Bucket("another client", 0.001, 1))).allowed()).isTrue();
		assertThat(limiter.decide(organisation).refusedBy()).isEqualTo(0);
	}

	@Test
	void giveBackWhenATokenWasTakenThenItCanBeTakenAgainButNeverBeyondCapacity() {
		InMemoryRateLimiter limiter = new InMemoryRateLimiter();
		Bucket starts = new Bucket("starts", 0.001, 2);
		limiter.giveBack(starts).block();
		assertThat(limiter.decide(starts).allowed()).isTrue();
		assertThat(limiter.decide(starts).allowed()).isTrue();
		assertThat(limiter.decide(starts).allowed()).isFalse();
		limiter.giveBack(starts).block();
		assertThat(limiter.decide(starts).allowed()).isTrue();
		assertThat(limiter.decide(starts).allowed()).isFalse();
	}

	@Test
	void capacityWhenBurstTwoSecondsThenTwiceTheRateAndAtLeastOne() {
		RateLimitProperties properties = new RateLimitProperties(true, 200, 0.25, Duration.ofSeconds(2),
				Duration.ofMillis(250), Duration.ofSeconds(5), 600);
		assertThat(properties.capacity(5)).isEqualTo(10);
		assertThat(properties.capacity(1.25)).isEqualTo(3);
		assertThat(new RateLimitProperties(true, 200, 0.25, Duration.ofMillis(100), Duration.ofMillis(250),
				Duration.ofSeconds(5), 600)
			.capacity(1)).isEqualTo(1);
	}

}
