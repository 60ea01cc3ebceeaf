package com.iotorq.lean.gateway.ratelimit;

import java.time.Duration;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import org.hibernate.validator.constraints.time.DurationMin;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The request rate limits of each organisation, on the public port. Counted in Redis,
 * shared by every replica, when sessions are kept there
 * ({@code lean.session.store=redis}); per replica otherwise. An organisation has two
 * budgets of {@code requestsPerSecond} each: one for requests of signed-in people (a
 * valid session of the organisation) and one for anonymous requests (everything else,
 * including all requests of organisations without SSO). Of the anonymous budget, one
 * client address may use at most {@code clientShare}, so that no single address can use
 * it all up.
 *
 * @param enabled whether organisations are limited at all
 * @param defaultRequestsPerSecond the limit of an organisation without one of its own
 * (the admin API's {@code requestsPerSecond})
 * @param clientShare the share of an organisation's anonymous budget one client address
 * may use
 * @param burst how many seconds' worth of requests may arrive at once after a quiet spell
 * (the token bucket holds {@code requestsPerSecond × burst})
 * @param redisTimeout how long a request waits for Redis to count it; beyond that, and on
 * any Redis failure, the replica counts on its own for {@code fallbackFor}
 * @param fallbackFor how long a replica counts on its own after Redis failed, before it
 * tries Redis again
 * @param failedSessionLookupsPerMinute how many session cookies that turn out not to be a
 * signed-in person's one client (an IPv4 address, an IPv6 /64) may present per minute to
 * each replica; beyond that its cookies are not looked up in the session store to choose
 * the budget, and its requests count as anonymous, except those of sessions the replica
 * has seen signed in
 */
@Validated
@ConfigurationProperties(RateLimitProperties.PREFIX)
public record RateLimitProperties(@DefaultValue("true") boolean enabled,
		@DefaultValue("200") @Positive int defaultRequestsPerSecond,
		@DefaultValue("0.25") @DecimalMin(value = "0", inclusive = false) @DecimalMax("1") double clientShare,
		@DefaultValue("2s") @NotNull @DurationMin(millis = 1) Duration burst,
		@DefaultValue("250ms") @NotNull Duration redisTimeout, @DefaultValue("5s") @NotNull Duration fallbackFor,
		@DefaultValue("600") @Positive int failedSessionLookupsPerMinute) {

	public static final String PREFIX = "lean.rate-limit";

	/** The token bucket's size for a limit: at least one request. */
	public long capacity(double requestsPerSecond) {
		return Math.max(1, (long) Math.ceil(requestsPerSecond * (this.burst.toMillis() / 1000.0)));
	}

}
