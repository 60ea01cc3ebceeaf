package com.iotorq.lean.gateway.sso;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import com.iotorq.lean.gateway.resilience.CircuitBreakerSettings;

/**
 * Signing in through the organisations' identity providers.
 *
 * @param entra Microsoft Entra ID
 * @param connectTimeout bound on connecting to an identity provider
 * @param responseTimeout bound on each answer of an identity provider; with the connect
 * timeout it bounds how long a person waits on a hanging provider
 * @param metadataTtl how long discovery documents are cached
 * @param jwksRefreshInterval the shortest interval between two fetches of a provider's
 * keys triggered by an unknown key id
 * @param clockSkew tolerance for ID token times
 * @param publicPaths path patterns that never need a session, even where sign-in is
 * required
 * @param signInRateLimit how many sign-ins one client address may start per minute with
 * an organisation without completing them (each completed sign-in gives its start back)
 * @param circuitBreaker the circuit breaker each identity provider's calls go through
 * @param maxConnections how many connections to identity providers may be open at once,
 * per provider address (all Entra organisations share one)
 */
@Validated
@ConfigurationProperties(SsoProperties.PREFIX)
public record SsoProperties(@DefaultValue @Valid @NotNull Entra entra,
		@DefaultValue("2s") @NotNull Duration connectTimeout, @DefaultValue("5s") @NotNull Duration responseTimeout,
		@DefaultValue("1h") @NotNull Duration metadataTtl, @DefaultValue("30s") @NotNull Duration jwksRefreshInterval,
		@DefaultValue("60s") @NotNull Duration clockSkew, @DefaultValue( {
				"/favicon.ico", "/robots.txt" }) List<String> publicPaths,
		@DefaultValue("30") @Positive int signInRateLimit,
		@DefaultValue @Valid @NotNull CircuitBreakerSettings circuitBreaker,
		@DefaultValue("500") @Positive int maxConnections){

	public static final String PREFIX = "lean.sso";

	/**
	 * @param authority where Entra lives; other clouds (US Government, China) have their
	 * own
	 */
	public record Entra(@DefaultValue("https://login.microsoftonline.com") @NotNull URI authority) {
	}

}
