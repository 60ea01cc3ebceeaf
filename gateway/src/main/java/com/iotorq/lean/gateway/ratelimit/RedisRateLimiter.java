package com.iotorq.lean.gateway.ratelimit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

import com.iotorq.lean.gateway.web.CallerEventLoop;

/**
 * Token buckets in Redis, shared by every replica: one atomic script per request reads
 * the request's buckets, refills them by Redis' own clock (so replicas' clocks do not
 * matter), takes a token from each and lets the keys expire once they would be full
 * again.
 * <p>
 * Redis must not make the gateway slow or unavailable: a request waits at most
 * {@code timeout} for the answer; on a failure the replica counts on its own
 * ({@link InMemoryRateLimiter}) for {@code fallbackFor} before it asks Redis again.
 */
public final class RedisRateLimiter implements RequestRateLimiter {

	static final String KEY_PREFIX = "lean:rate-limit:";

	private static final Logger logger = LoggerFactory.getLogger(RedisRateLimiter.class);

	/**
	 * Read once: a script from a resource would check the file for changes on every
	 * request.
	 */
	@SuppressWarnings({ "unchecked", "rawtypes" })
	private static final RedisScript<List<Long>> SCRIPT = Precomputed
		.of((RedisScript) RedisScript.of(script("ratelimit/token-bucket.lua"), List.class));

	private final ReactiveStringRedisTemplate redis;

	private final InMemoryRateLimiter fallback;

	private final Duration timeout;

	private final long fallbackForNanos;

	/**
	 * Until when (System.nanoTime) this replica counts on its own; 0 when Redis is in
	 * use.
	 */
	private final AtomicLong fallbackUntil = new AtomicLong();

	public RedisRateLimiter(ReactiveStringRedisTemplate redis, InMemoryRateLimiter fallback, Duration timeout,
			Duration fallbackFor) {
		this.redis = redis;
		this.fallback = fallback;
		this.timeout = timeout;
		this.fallbackForNanos = fallbackFor.toNanos();
	}

	@Override
	public Mono<Decision> acquire(List<Bucket> buckets) {
		return run(buckets, "1", RedisRateLimiter::decision, () -> this.fallback.acquire(buckets));
	}

	@Override
	public Mono<Void> giveBack(Bucket bucket) {
		return run(List.of(bucket), "-1", result -> Boolean.TRUE, () -> this.fallback.giveBack(bucket).thenReturn(true))
			.then();
	}

	private <T> Mono<T> run(List<Bucket> buckets, String cost, Function<List<Long>, T> answer,
			Supplier<Mono<T>> locally) {
		long until = this.fallbackUntil.get();
		if (until != 0 && System.nanoTime() - until < 0) {
			return locally.get();
		}
		List<String> keys = new ArrayList<>(buckets.size());
		List<String> args = new ArrayList<>(buckets.size() * 2 + 1);
		for (Bucket bucket : buckets) {
			keys.add(KEY_PREFIX + bucket.key());
			args.add(Double.toString(bucket.perSecond()));
			args.add(Long.toString(bucket.capacity()));
		}
		args.add(cost);
		return CallerEventLoop.resumeOn(this.redis.execute(SCRIPT, keys, args).next().timeout(this.timeout))
			.map(answer)
			.doOnNext(result -> {
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
				return locally.get();
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

	/**
	 * A script with its SHA-1 worked out once: Spring's own takes a lock on every request
	 * to hand it out, which parks an event loop whenever two of them ask at once.
	 */
	private record Precomputed<T>(String script, String sha1, @Nullable Class<T> resultType) implements RedisScript<T> {

		static <T> Precomputed<T> of(RedisScript<T> script) {
			return new Precomputed<>(script.getScriptAsString(), script.getSha1(), script.getResultType());
		}

		@Override
		public String getSha1() {
			return this.sha1;
		}

		@Override
		public @Nullable Class<T> getResultType() {
			return this.resultType;
		}

		@Override
		public String getScriptAsString() {
			return this.script;
		}

	}

	private static Decision decision(List<Long> result) {
		return (result.get(0) == 1L) ? Decision.ALLOWED
				: Decision.refused(Duration.ofMillis(result.get(1)), result.get(2).intValue() - 1);
	}

}
