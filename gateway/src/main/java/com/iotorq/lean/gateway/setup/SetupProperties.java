package com.iotorq.lean.gateway.setup;

import java.time.Duration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The self-service SSO setup page and its one-time links.
 *
 * @param sessionTtl how long the setup session a link opens lasts (its cookie too); the
 * administrator needs a new link after that
 * @param flowTtl how long a test sign-in or admin consent may take at the provider
 * @param publicPort the port browsers reach the gateway on, when it is not the scheme's
 * default (the local try-out); links are
 * {@code <public-scheme>://<slug>.<base-domain>[:port]/oauth/setup/<token>}
 */
@Validated
@ConfigurationProperties(SetupProperties.PREFIX)
public record SetupProperties(@DefaultValue("4h") @NotNull Duration sessionTtl,
		@DefaultValue("15m") @NotNull Duration flowTtl, @Nullable @Positive @Max(65535) Integer publicPort) {

	public static final String PREFIX = "lean.sso.setup";

}
