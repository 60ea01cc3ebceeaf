package com.iotorq.lean.gateway.ratelimit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

import com.iotorq.lean.gateway.web.CallerEventLoop;

/**
 * Token buckets in Redis, shared by every replica: one atomic script per request reads the
 * bucket, refills it by Redis' own clock (so replicas' clocks do not matter), takes a token and
 * lets the key expire once it would be full again.
 * <p>
 * Redis must not make the gateway slow or unavailable: a request waits at most
 * {@code timeout} for the answer; on a failure the replica counts on its own
 * ({@link InMemoryRateLimiter}) for {@code fallbackFor} before it asks Redis again.
 */
public final class RedisRateLimiter implements RequestRateLimiter {

	static final String KEY_PREFIX = "lean:rate-limit:";

	private static final Logger logger = LoggerFactory.getLogger(RedisRateLimiter.class);

	/** Read once: a script from a resource would check the file for changes on every request. */
	@SuppressWarnings({ "unchecked", "rawtypes" })
	private static final RedisScript<List<Long>> SCRIPT = (RedisScript) RedisScript
		.of(script("ratelimit/token-bucket.lua"), List.class);

	private final ReactiveStringRedisTemplate redis;

	private final InMemoryRateLimiter fallback;

	private final Duration timeout;

	private final long fallbackForNanos;

	/** Until when (System.nanoTime) this replica counts on its own; 0 when Redis is in use. */
	private final AtomicLong fallbackUntil = new AtomicLong();

	public RedisRateLimiter(ReactiveStringRedisTemplate redis, InMemoryRateLimiter fallback, Duration timeout,
			Duration fallbackFor) {
		this.redis = redis;
		this.fallback = fallback;
		this.timeout = timeout;
		this.fallbackForNanos = fallbackFor.toNanos();
	}

	@Override
	public Mono<Decision> acquire(String key, int requestsPerSecond, long capacity) {
		long until = this.fallbackUntil.get();
		if (until != 0 && System.nanoTime() - until < 0) {
			return this.fallback.acquire(key, requestsPerSecond, capacity);
		}
		return CallerEventLoop
			.resumeOn(this.redis
				.execute(SCRIPT, List.of(KEY_PREFIX + key),
						List.of(Integer.toString(requestsPerSecond), Long.toString(capacity)))
				.next()
				.timeout(this.timeout))
			.map(RedisRateLimiter::decision)
			.doOnNext(decision -> {
				if (until != 0 && this.fallbackUntil.compareAndSet(until, 0)) {
					logger.info("Request rate limits are counted in Redis again");
				}
			})
			.onErrorResume(ex -> {
				long next = System.nanoTime() + this.fallbackForNanos;
				if (this.fallbackUntil.getAndSet(next) == 0) {
					logger.warn("Redis could not count a request ({}): each replica counts on its own for {}",
							ex.toString(), Duration.ofNanos(this.fallbackForNanos));
				}
				return this.fallback.acquire(key, requestsPerSecond, capacity);
			});
	}

	private static String script(String path) {
		try {
			return new ClassPathResource(path).getContentAsString(StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("The rate limit script " + path + " is missing from the build", ex);
		}
	}

	private static Decision decision(List<Long> result) {
		return (result.get(0) == 1L) ? Decision.ALLOWED : Decision.refused(Duration.ofMillis(result.get(1)));
	}

}
