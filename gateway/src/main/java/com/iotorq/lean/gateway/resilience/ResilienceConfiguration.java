package com.iotorq.lean.gateway.resilience;

import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The circuit breakers of the gateway's remote calls (one per identity provider, one per
 * backend), published as {@code resilience4j.circuitbreaker.*} metrics tagged with the
 * breaker's name ({@code idp <issuer>} or {@code backend <host:port>}).
 */
@Configuration(proxyBeanMethods = false)
class ResilienceConfiguration {

	@Bean
	CircuitBreakerRegistry circuitBreakerRegistry(MeterRegistry meters) {
		CircuitBreakerRegistry registry = CircuitBreakerRegistry.ofDefaults();
		TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(registry).bindTo(meters);
		return registry;
	}

}
