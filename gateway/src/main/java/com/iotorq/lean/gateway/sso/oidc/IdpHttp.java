package com.iotorq.lean.gateway.sso.oidc;

import java.time.Duration;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.reactor.circuitbreaker.operator.CircuitBreakerOperator;
import io.netty.channel.ChannelOption;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.security.oauth2.core.OAuth2AuthorizationException;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientResponseException;

import com.iotorq.lean.gateway.sso.SsoProperties;

/**
 * The HTTP client for every call to an identity provider (discovery, keys, token
 * endpoint), with bounded connect and response times so a hanging provider becomes an
 * error page, not a hung browser tab, and a connection pool of its own
 * ({@code lean.sso.max-connections}).
 * <p>
 * Calls made through {@link #call} also go through a circuit breaker per issuer
 * ({@code lean.sso.circuit-breaker.*}): once a provider keeps failing or timing out, its
 * organisations' sign-ins fail at once for a while instead of each waiting for the
 * timeouts and holding a connection, and other providers are not affected. A provider
 * that answers with an error (a 4xx, an OAuth error) is working and does not count as
 * failing.
 */
public final class IdpHttp {

	/**
	 * The OAuth error code of an identity provider that did not answer in time (keys,
	 * tokens).
	 */
	public static final String IDP_UNAVAILABLE = "idp_unavailable";

	private final WebClient webClient;

	private final Duration deadline;

	private final CircuitBreakerRegistry breakers;

	private final CircuitBreakerConfig breakerConfig;

	private final boolean breakersEnabled;

	public IdpHttp(SsoProperties properties, CircuitBreakerRegistry breakers) {
		// a pool of its own, larger than Reactor Netty's shared default (16 per address):
		// every Entra
		// organisation is reached at the same host, and one hanging organisation must not
		// take the
		// connections the others need; waiting for a free one is bounded like connecting
		ConnectionProvider connections = ConnectionProvider.builder("idp")
			.maxConnections(properties.maxConnections())
			.pendingAcquireTimeout(properties.connectTimeout())
			.maxIdleTime(Duration.ofSeconds(30))
			.build();
		HttpClient http = HttpClient.create(connections)
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) properties.connectTimeout().toMillis())
			.responseTimeout(properties.responseTimeout());
		this.webClient = WebClient.builder().clientConnector(new ReactorClientHttpConnector(http)).build();
		// connecting plus waiting plus reading the body: one bound for the whole call
		this.deadline = properties.connectTimeout().plus(properties.responseTimeout());
		this.breakers = breakers;
		this.breakerConfig = properties.circuitBreaker().config(IdpHttp::isProviderFailure);
		this.breakersEnabled = properties.circuitBreaker().enabled();
	}

	public WebClient webClient() {
		return this.webClient;
	}

	/** The longest one call to a provider may take. */
	public Duration deadline() {
		return this.deadline;
	}

	/**
	 * Bounds a call to the provider of {@code issuer} by {@link #deadline()} and passes
	 * it through that provider's circuit breaker.
	 * @return the call, failing with {@code CallNotPermittedException} at once while the
	 * breaker is open
	 */
	public <T> Mono<T> call(String issuer, Mono<T> request) {
		Mono<T> bounded = bounded(request);
		return this.breakersEnabled ? bounded.transformDeferred(CircuitBreakerOperator.of(breaker(issuer))) : bounded;
	}

	/**
	 * Bounds a call by {@link #deadline()} without a circuit breaker: for calls whose
	 * caller paces its own retries (the keys, see {@link JwkSets}).
	 */
	public <T> Mono<T> bounded(Mono<T> request) {
		return request.timeout(this.deadline);
	}

	/**
	 * Whether calls to the provider of {@code issuer} may be made: false while its
	 * breaker is open.
	 */
	public boolean available(String issuer) {
		if (!this.breakersEnabled) {
			return true;
		}
		CircuitBreaker.State state = breaker(issuer).getState();
		return state != CircuitBreaker.State.OPEN && state != CircuitBreaker.State.FORCED_OPEN;
	}

	private CircuitBreaker breaker(String issuer) {
		return this.breakers.circuitBreaker("idp " + issuer, this.breakerConfig);
	}

	/**
	 * Timeouts, refused connections and 5xx answers; not the provider's own error
	 * answers.
	 */
	static boolean isProviderFailure(Throwable ex) {
		if (ex instanceof OAuth2AuthorizationException) {
			return false;
		}
		if (ex instanceof WebClientResponseException response) {
			return response.getStatusCode().is5xxServerError();
		}
		return true;
	}

}
