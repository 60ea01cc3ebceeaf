package com.iotorq.lean.gateway.session;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.data.redis.connection.ReactiveRedisConnection;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * Opens the Redis connection that all of the gateway's Redis commands share while the gateway starts,
 * on the starting thread. Spring Data Redis otherwise opens it on first use, synchronously, inside
 * whatever asks first: a request on a Netty event loop or the dependency probe on a Reactor parallel
 * thread, which then stops serving anyone for up to {@code spring.data.redis.connect-timeout}. Once
 * open, Lettuce reconnects it in the background after an outage. When Redis cannot be reached at
 * start-up the gateway still starts, as before, and the first command opens the connection.
 */
final class SharedRedisConnection implements BeanPostProcessor {

	private static final Logger logger = LoggerFactory.getLogger(SharedRedisConnection.class);

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		if (bean instanceof LettuceConnectionFactory lettuce && lettuce.getShareNativeConnection()
				&& lettuce.isRunning()) {
			open(lettuce);
		}
		return bean;
	}

	private static void open(LettuceConnectionFactory lettuce) {
		try {
			ReactiveRedisConnection connection = lettuce.getReactiveConnection();
			// the shared connection outlives this handle, which closes only connections of its own (none)
			connection.close();
		}
		catch (RuntimeException ex) {
			logger.warn("Redis cannot be reached at start-up ({}): the first command connects", ex.toString());
		}
	}

}
