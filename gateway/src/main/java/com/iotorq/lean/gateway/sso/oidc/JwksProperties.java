package com.iotorq.lean.gateway.sso.oidc;

import java.time.Duration;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotNull;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import com.iotorq.lean.gateway.sso.SsoProperties;

/**
 * How long identity providers' signing keys (JWKS) are trusted, and how they are fetched
 * again. The shortest interval between fetches caused by an unknown key id is
 * {@code lean.sso.jwks-refresh-interval} ({@link SsoProperties#jwksRefreshInterval()}).
 *
 * @param maxAge a key set older than this is not used: a sign-in that needs it waits for
 * a new copy, and is refused while none can be fetched
 * @param refreshAhead this long before a key set reaches its maximum age, sign-ins that
 * use it also fetch it again in the background, without waiting for that fetch
 * @param retryBackoff wait after a failed fetch before the next one; it doubles with
 * every further failure
 * @param maxRetryBackoff the longest wait after failed fetches; bounds how long sign-in
 * stays refused after the provider's key endpoint is back
 */
@Validated
@ConfigurationProperties(JwksProperties.PREFIX)
public record JwksProperties(@DefaultValue("24h") @NotNull @DurationMin(seconds = 1) Duration maxAge,
		@DefaultValue("1h") @NotNull @DurationMin(millis = 1) Duration refreshAhead,
		@DefaultValue("1s") @NotNull @DurationMin(millis = 10) Duration retryBackoff,
		@DefaultValue("4s") @NotNull @DurationMin(millis = 10) @DurationMax(minutes = 1) Duration maxRetryBackoff) {

	public static final String PREFIX = "lean.sso.jwks";

	@AssertTrue(message = "refresh-ahead must be shorter than max-age")
	public boolean isRefreshAheadWithinMaxAge() {
		return this.maxAge == null || this.refreshAhead == null || this.refreshAhead.compareTo(this.maxAge) < 0;
	}

	@AssertTrue(message = "retry-backoff must not be longer than max-retry-backoff")
	public boolean isRetryBackoffWithinMax() {
		return this.retryBackoff == null || this.maxRetryBackoff == null
				|| this.retryBackoff.compareTo(this.maxRetryBackoff) <= 0;
	}

}
