package com.iotorq.lean.gateway.tenant;

import java.time.Duration;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import com.iotorq.lean.gateway.config.GatewayProperties;

/**
 * How the tenant directory caches lookups ({@code lean.gateway.tenant-cache.*}).
 *
 * @param maximumSize how many organisations stay cached
 * @param refreshAfter after this age a read reloads the entry in the background
 * @param expireAfter hard bound on staleness should invalidation messages be lost
 * @param negativeMaximumSize how many unknown names are remembered as unknown
 * @param negativeExpireAfter how long an unknown name is remembered as unknown
 * @param loadTimeout how long a lookup may take before it counts as failed (a database
 * that hangs gives the waiting requests a 503 page, not a hang)
 */
@Validated
@ConfigurationProperties(TenantCacheProperties.PREFIX)
public record TenantCacheProperties(@DefaultValue("10000") @Positive int maximumSize,
		@DefaultValue("1m") @NotNull Duration refreshAfter, @DefaultValue("10m") @NotNull Duration expireAfter,
		@DefaultValue("10000") @Positive int negativeMaximumSize,
		@DefaultValue("30s") @NotNull Duration negativeExpireAfter, @DefaultValue("3s") @NotNull Duration loadTimeout) {

	public static final String PREFIX = GatewayProperties.PREFIX + ".tenant-cache";

}
