package com.iotorq.lean.gateway.routing;

import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.reactor.circuitbreaker.operator.CircuitBreakerOperator;
import io.netty.channel.ConnectTimeoutException;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.PrematureCloseException;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;

import com.iotorq.lean.gateway.config.BackendProperties;
import com.iotorq.lean.gateway.web.ErrorCode;
import com.iotorq.lean.gateway.web.GatewayException;

/**
 * Calls each backend ({@code host:port} of the request's target, after
 * {@link TenantBackendFilter}) through a circuit breaker of its own
 * ({@code lean.backend.circuit-breaker.*}): once a backend keeps refusing connections or timing
 * out, its requests get the 502 page at once, with {@code Retry-After}, instead of each
 * holding a connection until the timeouts; trial requests then find out whether it is back.
 * Answers of the backend, errors included, do not count as failures: only not answering does.
 * WebSocket upgrades are not counted (a long conversation is not a slow call).
 */
@Component
public final class BackendCircuitBreakerFilter implements GlobalFilter, Ordered {

	/** Right after the target is final, before the routing filters connect. */
	public static final int ORDER = TenantBackendFilter.ORDER + 1;

	private final CircuitBreakerRegistry breakers;

	private final CircuitBreakerConfig config;

	private final boolean enabled;

	private final Duration retryAfter;

	public BackendCircuitBreakerFilter(CircuitBreakerRegistry breakers, BackendProperties properties) {
		this.breakers = breakers;
		this.config = properties.circuitBreaker().config(BackendCircuitBreakerFilter::isUnanswered);
		this.enabled = properties.circuitBreaker().enabled();
		this.retryAfter = properties.circuitBreaker().waitInOpenState();
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
		URI target = exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_REQUEST_URL_ATTR);
		if (!this.enabled || target == null || target.getHost() == null || isWebSocketUpgrade(exchange)) {
			return chain.filter(exchange);
		}
		CircuitBreaker breaker = this.breakers.circuitBreaker("backend " + authority(target), this.config);
		return chain.filter(exchange)
			.transformDeferred(CircuitBreakerOperator.of(breaker))
			.onErrorMap(CallNotPermittedException.class, ex -> new GatewayException(ErrorCode.BACKEND_UNAVAILABLE,
					"The ioTORQ LEAN service behind this address keeps failing; it gets no requests for a short while.",
					null, this.retryAfter));
	}

	private static String authority(URI target) {
		int port = target.getPort();
		if (port == -1) {
			port = ("https".equalsIgnoreCase(target.getScheme()) || "wss".equalsIgnoreCase(target.getScheme())) ? 443 : 80;
		}
		return target.getHost() + ":" + port;
	}

	private static boolean isWebSocketUpgrade(ServerWebExchange exchange) {
		return "websocket".equalsIgnoreCase(exchange.getRequest().getHeaders().getFirst(HttpHeaders.UPGRADE));
	}

	/** The backend did not answer: refused, unreachable, cut off, or too slow. */
	static boolean isUnanswered(Throwable ex) {
		for (Throwable t = ex; t != null; t = t.getCause()) {
			if (t instanceof ConnectException || t instanceof ConnectTimeoutException || t instanceof TimeoutException
					|| t instanceof io.netty.handler.timeout.TimeoutException || t instanceof PrematureCloseException
					|| t instanceof UnknownHostException) {
				return true;
			}
		}
		return false;
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

}
