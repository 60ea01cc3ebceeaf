package com.iotorq.lean.gateway.health;

import java.time.Duration;

import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Dependency monitoring.
 *
 * @param probeInterval how often the database and Redis are probed for the
 * {@code lean.dependency.up} metrics
 * @param probeTimeout how long a probe may take before the dependency counts as down
 */
@Validated
@ConfigurationProperties(HealthProperties.PREFIX)
public record HealthProperties(@DefaultValue("15s") @NotNull Duration probeInterval,
		@DefaultValue("2s") @NotNull Duration probeTimeout) {

	public static final String PREFIX = "lean.health";

}
