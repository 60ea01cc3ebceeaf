package com.iotorq.lean.gateway.audit;

import java.time.Duration;

import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The sign-in audit ({@code sign_in_event}).
 *
 * @param signInRetention how long sign-in attempts are kept
 * @param pruneInterval how often older ones are deleted
 */
@Validated
@ConfigurationProperties(SignInAuditProperties.PREFIX)
public record SignInAuditProperties(@DefaultValue("90d") @NotNull Duration signInRetention,
		@DefaultValue("1h") @NotNull Duration pruneInterval) {

	public static final String PREFIX = "lean.audit";

}
