package com.iotorq.lean.gateway.session;

import java.time.Duration;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The per-replica near cache of Redis sessions ({@link NearCachedSessionRepository});
 * without effect on the memory store.
 *
 * @param enabled whether a replica keeps recently read sessions; off, every request that
 * needs its session reads it from Redis
 * @param maximumSize how many sessions one replica keeps
 * @param timeToLive how long a session read from Redis is served from the cache at most;
 * changes made through any replica reach every other within 1 s through Redis pub/sub
 * regardless
 */
@Validated
@ConfigurationProperties(NearCacheProperties.PREFIX)
public record NearCacheProperties(@DefaultValue("true") boolean enabled,
		@DefaultValue("10000") @Positive int maximumSize,
		@DefaultValue("10s") @NotNull @DurationMin(millis = 100) @DurationMax(minutes = 1) Duration timeToLive) {

	public static final String PREFIX = SessionProperties.PREFIX + ".near-cache";

}
