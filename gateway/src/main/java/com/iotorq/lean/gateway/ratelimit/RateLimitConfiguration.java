package com.iotorq.lean.gateway.ratelimit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

import com.iotorq.lean.gateway.session.SessionProperties;

@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = RateLimitProperties.PREFIX + ".enabled", havingValue = "true", matchIfMissing = true)
class RateLimitConfiguration {

	private static final Logger logger = LoggerFactory.getLogger(RateLimitConfiguration.class);

	/** In Redis when the sessions are (several replicas share it), in memory otherwise. */
	@Bean
	RequestRateLimiter requestRateLimiter(RateLimitProperties properties, SessionProperties sessions,
			ObjectProvider<ReactiveStringRedisTemplate> redis) {
		if (sessions.store() == SessionProperties.Store.REDIS) {
			logger.info("Request rate limits are counted in Redis, across replicas");
			return new RedisRateLimiter(redis.getObject(), new InMemoryRateLimiter(), properties.redisTimeout(),
					properties.fallbackFor());
		}
		return new InMemoryRateLimiter();
	}

	@Bean
	TenantRateLimitFilter tenantRateLimitFilter(RequestRateLimiter limiter, RateLimitProperties properties) {
		return new TenantRateLimitFilter(limiter, properties);
	}

}
