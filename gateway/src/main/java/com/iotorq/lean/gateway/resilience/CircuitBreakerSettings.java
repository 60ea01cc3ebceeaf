package com.iotorq.lean.gateway.resilience;

import java.time.Duration;
import java.util.function.Predicate;

import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;

import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * A circuit breaker's settings: it opens when at least {@code failureRateThreshold}
 * percent of the last {@code slidingWindowSize} calls failed (once {@code minimumCalls}
 * were made), refuses calls at once for {@code waitInOpenState}, then lets
 * {@code halfOpenCalls} trial calls through and closes if they succeed.
 *
 * @param enabled whether calls go through a breaker at all
 * @param failureRateThreshold percentage of failed calls that opens the breaker
 * @param slidingWindowSize how many recent calls the failure rate is computed over
 * @param minimumCalls how many calls must be seen before the breaker may open
 * @param waitInOpenState how long an open breaker refuses calls
 * @param halfOpenCalls trial calls let through after the wait
 */
public record CircuitBreakerSettings(@DefaultValue("true") boolean enabled,
		@DefaultValue("50") @Min(1) @Max(100) int failureRateThreshold,
		@DefaultValue("20") @Positive int slidingWindowSize, @DefaultValue("5") @Positive int minimumCalls,
		@DefaultValue("30s") @NotNull Duration waitInOpenState, @DefaultValue("2") @Positive int halfOpenCalls) {

	/**
	 * @param failure which errors count as failures of the remote side
	 */
	public CircuitBreakerConfig config(Predicate<Throwable> failure) {
		return CircuitBreakerConfig.custom()
			.slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
			.slidingWindowSize(this.slidingWindowSize)
			.minimumNumberOfCalls(this.minimumCalls)
			.failureRateThreshold(this.failureRateThreshold)
			.waitDurationInOpenState(this.waitInOpenState)
			.permittedNumberOfCallsInHalfOpenState(this.halfOpenCalls)
			// so an open breaker of a provider nobody calls (discovery is cached) still
			// half-opens
			.automaticTransitionFromOpenToHalfOpenEnabled(true)
			.recordException(failure)
			.build();
	}

}
