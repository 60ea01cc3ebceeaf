package com.iotorq.lean.gateway.observability;

import io.micrometer.observation.ObservationRegistry;

import org.springframework.boot.webflux.autoconfigure.WebHttpHandlerBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.observation.SecurityObservationSettings;

/**
 * The frameworks' own per-request observations that the gateway does without.
 * <ul>
 * <li>Spring Security observes each filter of its chain (a timer and a decorator per
 * filter, on every request), which cost about a tenth of the gateway's CPU per proxied
 * request: switched off, decorator included.</li>
 * <li>A public request is timed once, by {@link RequestMetrics}
 * ({@code spring_cloud_gateway_requests_seconds}); Spring's server observation
 * ({@code http_server_requests}) is switched off for the public port. The management port
 * builds its own HTTP handler from its child context, without these customizers, and
 * keeps it.</li>
 * </ul>
 */
@Configuration(proxyBeanMethods = false)
class FrameworkObservationConfiguration {

	@Bean
	SecurityObservationSettings securityObservationSettings() {
		return SecurityObservationSettings.noObservations();
	}

	@Bean
	WebHttpHandlerBuilderCustomizer publicPortWithoutServerObservation() {
		return builder -> builder.observationRegistry(ObservationRegistry.NOOP);
	}

}
