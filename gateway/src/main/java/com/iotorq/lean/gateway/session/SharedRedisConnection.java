package com.iotorq.lean.gateway.session;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.data.redis.connection.ReactiveRedisConnection;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * Opens the Redis connection that all of the gateway's Redis commands share while the
 * gateway starts (and starts again after a pause), on the starting thread. Spring Data
 * Redis otherwise opens it on first use, synchronously, inside whatever asks first: a
 * request on a Netty event loop, which then serves no one for up to
 * {@code spring.data.redis.connect-timeout}. Once open, Lettuce reconnects it in the
 * background after an outage. When Redis cannot be reached at start-up the gateway still
 * starts, as before, and the health probes open the connection off the event loops once
 * Redis answers.
 */
final class SharedRedisConnection implements SmartLifecycle {

	/**
	 * Just after the connection factory's own phase (0), long before the web server's.
	 */
	static final int PHASE = 1;

	private static final Logger logger = LoggerFactory.getLogger(SharedRedisConnection.class);

	private final ReactiveRedisConnectionFactory connections;

	private volatile boolean running;

	SharedRedisConnection(ReactiveRedisConnectionFactory connections) {
		this.connections = connections;
	}

	@Override
	public void start() {
		if (this.connections instanceof LettuceConnectionFactory lettuce && lettuce.getShareNativeConnection()) {
			try {
				ReactiveRedisConnection connection = lettuce.getReactiveConnection();
				// the shared connection outlives this handle, which closes only
				// connections of its own (none)
				connection.close();
			}
			catch (RuntimeException ex) {
				logger.warn("Redis cannot be reached at start-up ({}): the health probe connects once it answers",
						ex.toString());
			}
		}
		this.running = true;
	}

	@Override
	public void stop() {
		this.running = false;
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

}
