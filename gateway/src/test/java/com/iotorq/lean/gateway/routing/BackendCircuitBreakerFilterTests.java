package com.iotorq.lean.gateway.routing;

import java.net.ConnectException;
import java.net.URI;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;

import com.iotorq.lean.gateway.config.BenchAblation;
import com.iotorq.lean.gateway.resilience.CircuitBreakerSettings;
import com.iotorq.lean.gateway.web.GatewayException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The backend breaker without Resilience4j's operator: outcomes reported once, only
 * unanswered calls counted as failures, a cancelled call's permit given back, an open
 * breaker answering at once, and the benchmark's switch passing everything through.
 */
class BackendCircuitBreakerFilterTests {

	private static final URI TARGET = URI.create("http://backend.example:8080/x");

	private final CircuitBreakerRegistry breakers = CircuitBreakerRegistry.ofDefaults();

	// opens once 2 of the last 4 calls failed; one trial call when half-open
	private final BackendProperties properties = new BackendProperties(URI.create("http://127.0.0.1:9000"),
			new CircuitBreakerSettings(true, 50, 4, 4, Duration.ofSeconds(30), 1));

	private final BackendCircuitBreakerFilter filter = new BackendCircuitBreakerFilter(this.breakers, this.properties,
			BenchAblation.none());

	private final AtomicInteger calls = new AtomicInteger();

	@Test
	void filterWhenCallsEndThenOutcomesCountedOnceAndOnlyUnansweredAsFailures() {
		StepVerifier.create(this.filter.filter(exchange(), chain(Mono.empty()))).verifyComplete();
		StepVerifier.create(this.filter.filter(exchange(), chain(Mono.error(new IllegalStateException("500 page")))))
			.verifyError(IllegalStateException.class);
		CircuitBreaker breaker = this.breakers.circuitBreaker("backend backend.example:8080");
		assertThat(breaker.getMetrics().getNumberOfSuccessfulCalls()).isEqualTo(2);
		assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.CLOSED);

		StepVerifier.create(this.filter.filter(exchange(), chain(Mono.error(new ConnectException("refused")))))
			.verifyError(ConnectException.class);
		StepVerifier.create(this.filter.filter(exchange(), chain(Mono.error(new ConnectException("refused")))))
			.verifyError(ConnectException.class);
		assertThat(breaker.getMetrics().getNumberOfFailedCalls()).isEqualTo(2);
		assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.OPEN);

		// open: the 502 page at once, the backend not called
		int before = this.calls.get();
		StepVerifier.create(this.filter.filter(exchange(), chain(Mono.empty())))
			.verifyErrorSatisfies(
					ex -> assertThat(ex).isInstanceOf(GatewayException.class).hasMessageContaining("keeps failing"));
		assertThat(this.calls.get()).isEqualTo(before);
		assertThat(breaker.getMetrics().getNumberOfNotPermittedCalls()).isEqualTo(1);
	}

	@Test
	void filterWhenTrialCallCancelledThenPermitGivenBackAndNextTrialCloses() {
		CircuitBreaker breaker = this.filter.breaker("backend.example", 8080);
		breaker.transitionToOpenState();
		breaker.transitionToHalfOpenState();
		Sinks.Empty<Void> never = Sinks.empty();
		Disposable trial = this.filter.filter(exchange(), chain(never.asMono())).subscribe();
		// the only trial permit is taken
		StepVerifier.create(this.filter.filter(exchange(), chain(Mono.empty()))).verifyError(GatewayException.class);

		trial.dispose();

		StepVerifier.create(this.filter.filter(exchange(), chain(Mono.empty()))).verifyComplete();
		assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
	}

	@Test
	void breakerWhenSameAuthorityThenSameBreakerAndOtherPortsApart() {
		assertThat(this.filter.breaker("backend.example", 8080)).isSameAs(this.filter.breaker("backend.example", 8080))
			.isSameAs(this.breakers.circuitBreaker("backend backend.example:8080"));
		assertThat(this.filter.breaker("backend.example", 8081).getName()).isEqualTo("backend backend.example:8081");
		assertThat(this.filter.breaker("backend.example", 8080).getName()).isEqualTo("backend backend.example:8080");
	}

	@Test
	void filterWhenAblatedThenOpenBreakerPassesThrough() {
		BackendCircuitBreakerFilter ablated = new BackendCircuitBreakerFilter(this.breakers, this.properties,
				new BenchAblation(Set.of(BenchAblation.Feature.CIRCUIT_BREAKER)));
		this.filter.breaker("backend.example", 8080).transitionToForcedOpenState();
		StepVerifier.create(ablated.filter(exchange(), chain(Mono.empty()))).verifyComplete();
		assertThat(this.calls.get()).isEqualTo(1);
	}

	private GatewayFilterChain chain(Mono<Void> backend) {
		return exchange -> Mono.defer(() -> {
			this.calls.incrementAndGet();
			return backend;
		});
	}

	private static MockServerWebExchange exchange() {
		MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/x"));
		exchange.getAttributes().put(ServerWebExchangeUtils.GATEWAY_REQUEST_URL_ATTR, TARGET);
		return exchange;
	}

}
