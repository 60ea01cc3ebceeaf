package com.iotorq.lean.gateway.session;

import java.time.Duration;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Browser sessions.
 *
 * @param store {@code memory} for one instance, {@code redis} so any replica serves any user
 * ({@code LEAN_SESSION_STORE})
 * @param cookieName the session cookie's name
 * @param idleTimeout a session unused this long ends
 * @param absoluteTimeout a session ends this long after sign-in, however busy
 * @param touchInterval how stale the recorded last access may get before it is written again;
 * keeps the session store off the per-request path
 */
@Validated
@ConfigurationProperties(SessionProperties.PREFIX)
public record SessionProperties(@DefaultValue("memory") @NotNull Store store,
		@DefaultValue("LEAN_SESSION") @Pattern(regexp = "[A-Za-z0-9_-]{1,64}") String cookieName,
		@DefaultValue("30m") @NotNull Duration idleTimeout, @DefaultValue("12h") @NotNull Duration absoluteTimeout,
		@DefaultValue("60s") @NotNull Duration touchInterval) {

	public static final String PREFIX = "lean.session";

	public enum Store {

		MEMORY, REDIS

	}

}
