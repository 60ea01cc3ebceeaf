package com.iotorq.lean.gateway.ratelimit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.web.server.session.WebSessionIdResolver;

import com.iotorq.lean.gateway.observability.RequestRefusals;
import com.iotorq.lean.gateway.config.BenchAblation;
import com.iotorq.lean.gateway.session.SessionProperties;

@Configuration(proxyBeanMethods = false)
class RateLimitConfiguration {

	private static final Logger logger = LoggerFactory.getLogger(RateLimitConfiguration.class);

	/**
	 * In Redis when the sessions are (several replicas share it), in memory otherwise.
	 * Also counts the sign-in limits, so it is there even when organisations are not
	 * limited.
	 */
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

	/**
	 * The pipeline's limits step; with {@code lean.rate-limit.enabled=false} it lets
	 * every request pass.
	 */
	@Bean
	TenantRateLimits tenantRateLimits(RequestRateLimiter limiter, RateLimitProperties properties,
			ObjectProvider<SignedInRequests> signedIn, RequestRefusals refusals, WebSessionIdResolver sessionIds,
			SessionProperties sessions, BenchAblation ablation) {
		return new TenantRateLimits(limiter, properties, signedIn.getIfAvailable(() -> SignedInRequests.NONE), refusals,
				sessionIds, sessions.idleTimeout(), ablation);
	}

}
