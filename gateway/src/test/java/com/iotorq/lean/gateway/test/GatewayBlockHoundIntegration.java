package com.iotorq.lean.gateway.test;

import reactor.blockhound.BlockHound;
import reactor.blockhound.integration.BlockHoundIntegration;

/**
 * The blocking calls BlockHound may let pass in this project's tests: only calls that are
 * not the product's blocking (JDK and library internals that BlockHound flags although
 * they do not block an event loop in practice, and test-only code). Never a class of
 * {@code com.iotorq.lean.gateway} outside {@code src/test}: the product's blocking calls
 * are fixed, not allowed. Registered in
 * {@code META-INF/services/reactor.blockhound.integration.BlockHoundIntegration}.
 */
public final class GatewayBlockHoundIntegration implements BlockHoundIntegration {

	@Override
	public void applyTo(BlockHound.Builder builder) {
		// SecureRandom.nextBytes (UUIDs, IVs, OAuth2 state and nonce) reads /dev/urandom,
		// which never waits
		// for entropy; the JDK reads the blocking /dev/random only to generate seeds
		// (implGenerateSeed, still checked)
		builder.allowBlockingCallsInside("sun.security.provider.NativePRNG$RandomIO", "implNextBytes");
		// Netty's buffer allocator takes a lock for a few instructions when it retires
		// one of its magazines
		// (Netty's own BlockHound integration does not list this 4.2 allocator yet)
		builder.allowBlockingCallsInside("io.netty.buffer.AdaptivePoolingAllocator$Magazine", "free");
		// Resilience4j's count-based circuit breaker window (the gateway's) updates its
		// counters under a lock:
		// a few instructions per call, made to be used from any thread
		String window = "io.github.resilience4j.core.metrics.FixedSizeSlidingWindowMetrics";
		builder.allowBlockingCallsInside(window, "record");
		builder.allowBlockingCallsInside(window, "getSnapshot");
		// Lettuce's lock between the threads writing commands to a Redis connection and a
		// reconnect or close:
		// held for a few instructions, by design on event loops
		builder.allowBlockingCallsInside("io.lettuce.core.protocol.SharedLock", "incrementWriters");
		builder.allowBlockingCallsInside("io.lettuce.core.protocol.SharedLock", "lockWritersExclusive");
		// Spring Data Redis takes a lock on every command to hand out the shared
		// connection: a wait of
		// microseconds when two threads ask at once ...
		String lettuce = "org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory";
		builder.allowBlockingCallsInside(lettuce, "doInLock");
		// ... but opening that connection under the lock stays checked
		// (session/SharedRedisConnection opens it at start-up)
		builder.disallowBlockingCallsInside(lettuce + "$SharedConnection", "getNativeConnection");
	}

}
