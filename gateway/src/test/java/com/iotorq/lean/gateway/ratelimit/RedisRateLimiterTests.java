package com.iotorq.lean.gateway.ratelimit;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

import com.iotorq.lean.gateway.ratelimit.RequestRateLimiter.Bucket;
import com.iotorq.lean.gateway.ratelimit.RequestRateLimiter.Decision;
import com.iotorq.lean.gateway.test.TestRedis;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Redis script against a real Redis: several buckets at once, all or nothing, and
 * giving back.
 */
class RedisRateLimiterTests {

	private static LettuceConnectionFactory connections;

	private static RedisRateLimiter limiter;

	/** Keys of this run only: other test JVMs share the Redis server. */
	private final String run = UUID.randomUUID().toString();

	@BeforeAll
	static void connect() {
		connections = new LettuceConnectionFactory(TestRedis.get().host(), TestRedis.get().port());
		connections.afterPropertiesSet();
		connections.start();
		limiter = new RedisRateLimiter(new ReactiveStringRedisTemplate(connections), new InMemoryRateLimiter(),
				Duration.ofSeconds(2), Duration.ofSeconds(5));
	}

	@AfterAll
	static void disconnect() {
		connections.destroy();
	}

	@Test
	void acquireWhenOneOfTwoBucketsIsEmptyThenRefusedByItAndTheOtherKeepsItsToken() {
		Bucket organisation = new Bucket(this.run + ":organisation", 0.01, 2);
		Bucket client = new Bucket(this.run + ":client", 0.01, 1);
		assertThat(decide(organisation, client).allowed()).isTrue();
		Decision refused = decide(organisation, client);
		assertThat(refused.allowed()).isFalse();
		assertThat(refused.refusedBy()).isEqualTo(1);
		assertThat(refused.retryAfter()).isGreaterThan(Duration.ofSeconds(50));
		// the refused request took nothing from the organisation: its last token is still
		// there
		assertThat(decide(organisation, new Bucket(this.run + ":another client", 0.01, 1)).allowed()).isTrue();
		assertThat(decide(organisation).refusedBy()).isEqualTo(0);
	}

	@Test
	void giveBackWhenATokenWasTakenThenItCanBeTakenAgainButNeverBeyondCapacity() {
		Bucket starts = new Bucket(this.run + ":starts", 0.01, 2);
		limiter.giveBack(starts).block(Duration.ofSeconds(5));
		assertThat(decide(starts).allowed()).isTrue();
		assertThat(decide(starts).allowed()).isTrue();
		assertThat(decide(starts).allowed()).isFalse();
		limiter.giveBack(starts).block(Duration.ofSeconds(5));
		assertThat(decide(starts).allowed()).isTrue();
		assertThat(decide(starts).allowed()).isFalse();
		// counted in Redis, not by the fallback
		assertThat(new ReactiveStringRedisTemplate(connections).hasKey(RedisRateLimiter.KEY_PREFIX + starts.key())
			.block(Duration.ofSeconds(5))).isTrue();
	}

	private static Decision decide(Bucket... buckets) {
		return limiter.acquire(List.of(buckets)).block(Duration.ofSeconds(5));
	}

}
