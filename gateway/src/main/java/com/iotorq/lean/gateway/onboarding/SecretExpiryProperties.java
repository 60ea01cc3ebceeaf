package com.iotorq.lean.gateway.onboarding;

import java.time.Duration;
import java.util.List;

import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Watching organisations' client secrets expire (the help article suggests 730 days).
 *
 * @param warningDays log a warning when a secret has this many days left or fewer, once
 * per threshold per secret across all replicas; and once more when it has expired
 * @param checkInterval how often the expiry dates are checked (and the gauge's list of
 * tenants refreshed)
 * @param initialDelay the first check after start
 */
@Validated
@ConfigurationProperties(SecretExpiryProperties.PREFIX)
public record SecretExpiryProperties(@DefaultValue( {
		"30", "14", "7", "1" }) @NotEmpty List<Integer> warningDays,
		@DefaultValue("1h") @NotNull Duration checkInterval, @DefaultValue("30s") @NotNull Duration initialDelay){

	public static final String PREFIX = "lean.sso.secret-expiry";

}
