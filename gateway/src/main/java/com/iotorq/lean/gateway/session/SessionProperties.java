package com.iotorq.lean.gateway.session;

import java.time.Duration;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Browser sessions.
 *
 * @param store {@code memory} for one instance, {@code redis} so any replica serves any
 * user ({@code LEAN_SESSION_STORE})
 * @param cookieName the session cookie's name
 * @param idleTimeout a session unused this long ends
 * @param absoluteTimeout a session ends this long after sign-in, however busy
 * @param touchInterval how stale the recorded last access may get before it is written
 * again; keeps the session store off the per-request path
 * @param accountRecheckInterval how often a live session re-reads its account's status,
 * so that an account disabled or deleted on any replica loses access everywhere within
 * this bound (1 s to 10 min; never per request)
 * @param accountRecheckRetry when the database could not answer a re-check, how long the
 * session carries on before the next attempt
 * @param accountRecheckTimeout how long a request waits for a re-check before carrying on
 * as if the database could not answer
 */
@Validated
@ConfigurationProperties(SessionProperties.PREFIX)
public record SessionProperties(@DefaultValue("memory") @NotNull Store store,
		@DefaultValue("LEAN_SESSION") @Pattern(regexp = "[A-Za-z0-9_-]{1,64}") String cookieName,
		@DefaultValue("30m") @NotNull Duration idleTimeout, @DefaultValue("12h") @NotNull Duration absoluteTimeout,
		@DefaultValue("60s") @NotNull Duration touchInterval,
		@DefaultValue("60s") @NotNull @DurationMin(seconds = 1) @DurationMax(
				minutes = 10) Duration accountRecheckInterval,
		@DefaultValue("5s") @NotNull @DurationMin(millis = 100) Duration accountRecheckRetry,
		@DefaultValue("1s") @NotNull @DurationMin(millis = 10) Duration accountRecheckTimeout) {

	public static final String PREFIX = "lean.session";

	public enum Store {

		MEMORY, REDIS

	}

}
