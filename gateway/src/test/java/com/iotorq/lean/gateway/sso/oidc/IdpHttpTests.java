package com.iotorq.lean.gateway.sso.oidc;

import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import org.springframework.http.HttpStatus;
import org.springframework.security.oauth2.core.OAuth2AuthorizationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.web.reactive.function.client.WebClientResponseException;

import com.iotorq.lean.gateway.resilience.CircuitBreakerSettings;
import com.iotorq.lean.gateway.test.TestSsoProperties;

import static org.assertj.core.api.Assertions.assertThat;

class IdpHttpTests {

	private final IdpHttp http = new IdpHttp(TestSsoProperties.builder()
		.authority("https://login.example")
		.connectTimeout(Duration.ofMillis(100))
		.responseTimeout(Duration.ofMillis(100))
		.circuitBreaker(new CircuitBreakerSettings(true, 50, 4, 4, Duration.ofSeconds(30), 1))
		.maxConnections(10)
		.build(), CircuitBreakerRegistry.ofDefaults());

	@Test
	void callWhenProviderKeepsFailingThenItsBreakerOpensAndOthersStayAvailable() {
		AtomicInteger attempts = new AtomicInteger();
		Mono<String> failing = Mono.defer(() -> {
			attempts.incrementAndGet();
			return Mono.error(new TimeoutException("no answer"));
		});
		for (int i = 0; i < 4; i++) {
			StepVerifier.create(this.http.call("https://broken/v2.0", failing))
				.expectError(TimeoutException.class)
				.verify();
		}
		assertThat(this.http.available("https://broken/v2.0")).isFalse();
		StepVerifier.create(this.http.call("https://broken/v2.0", failing))
			.expectError(CallNotPermittedException.class)
			.verify();
		assertThat(attempts).hasValue(4);

		assertThat(this.http.available("https://healthy/v2.0")).isTrue();
		StepVerifier.create(this.http.call("https://healthy/v2.0", Mono.just("ok"))).expectNext("ok").verifyComplete();
	}

	@Test
	void callWhenProviderHangsThenBoundedByTheDeadline() {
		StepVerifier.create(this.http.call("https://hanging/v2.0", Mono.never()))
			.expectError(TimeoutException.class)
			.verify(Duration.ofSeconds(2));
	}

	@Test
	void callWhenProviderAnswersWithAnErrorThenNotCountedAsFailing() {
		for (int i = 0; i < 10; i++) {
			StepVerifier
				.create(this.http.call("https://answering/v2.0",
						Mono.error(new OAuth2AuthorizationException(new OAuth2Error("invalid_client")))))
				.expectError()
				.verify();
			StepVerifier.create(this.http.call("https://answering/v2.0", Mono.error(WebClientResponseException
				.create(HttpStatus.BAD_REQUEST.value(), "Bad Request", null, null, null)))).expectError().verify();
		}
		assertThat(this.http.available("https://answering/v2.0")).isTrue();
		assertThat(IdpHttp.isProviderFailure(WebClientResponseException.create(503, "Unavailable", null, null, null)))
			.isTrue();
	}

}
