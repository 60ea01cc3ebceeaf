package com.iotorq.lean.gateway.routing;

import java.net.URI;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import com.iotorq.lean.gateway.resilience.CircuitBreakerSettings;

/**
 * The LEAN backends behind the gateway.
 *
 * @param defaultUri where routes send an organisation's traffic unless the organisation
 * has a backend of its own; routes in {@code config/} name it as
 * {@code ${lean.backend.default-uri}}
 * @param circuitBreaker the circuit breaker each backend ({@code host:port}) is called
 * through
 */
@Validated
@ConfigurationProperties(BackendProperties.PREFIX)
public record BackendProperties(@NotNull URI defaultUri,
		@DefaultValue @Valid @NotNull CircuitBreakerSettings circuitBreaker) {

	public static final String PREFIX = "lean.backend";

}
