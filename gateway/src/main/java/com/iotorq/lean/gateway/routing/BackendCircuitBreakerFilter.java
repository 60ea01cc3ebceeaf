package com.iotorq.lean.gateway.routing;

import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.netty.channel.ConnectTimeoutException;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.PrematureCloseException;
import reactor.util.context.Context;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;

import com.iotorq.lean.gateway.config.BenchAblation;
import com.iotorq.lean.gateway.web.ErrorCode;
import com.iotorq.lean.gateway.web.GatewayException;

/**
 * Calls each backend ({@code host:port} of the request's target, after
 * {@link TenantBackendFilter}) through a circuit breaker of its own
 * ({@code lean.backend.circuit-breaker.*}): once a backend keeps refusing connections or
 * timing out, its requests get the 502 page at once, with {@code Retry-After}, instead of
 * each holding a connection until the timeouts; trial requests then find out whether it
 * is back. Answers of the backend, errors included, do not count as failures: only not
 * answering does. WebSocket upgrades are not counted (a long conversation is not a slow
 * call).
 * <p>
 * A request costs its permit and one {@link GuardedCall}: the breaker is found without
 * building its name, the permit taken with {@link CircuitBreaker#tryAcquirePermission()},
 * and the outcome reported once, whatever ends the call (an error, completion, or the
 * client going away, which gives the permit back), as Resilience4j's Reactor operator did
 * with more operators per request.
 */
@Component
public final class BackendCircuitBreakerFilter implements GlobalFilter, Ordered {

	/** Right after the target is final, before the routing filters connect. */
	public static final int ORDER = TenantBackendFilter.ORDER + 1;

	private final CircuitBreakerRegistry breakers;

	private final CircuitBreakerConfig config;

	private final boolean enabled;

	private final Duration retryAfter;

	/**
	 * each host's breakers by port: found without building a name or boxing a port per
	 * request
	 */
	private final ConcurrentMap<String, Ports> byHost = new ConcurrentHashMap<>();

	public BackendCircuitBreakerFilter(CircuitBreakerRegistry breakers, BackendProperties properties,
			BenchAblation ablation) {
		this.breakers = breakers;
		this.config = properties.circuitBreaker().config(BackendCircuitBreakerFilter::isUnanswered);
		this.enabled = properties.circuitBreaker().enabled() && ablation.isOn(BenchAblation.Feature.CIRCUIT_BREAKER);
		this.retryAfter = properties.circuitBreaker().waitInOpenState();
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
		URI target = exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_REQUEST_URL_ATTR);
		if (!this.enabled || target == null || target.getHost() == null || isWebSocketUpgrade(exchange)) {
			return chain.filter(exchange);
		}
		CircuitBreaker breaker = breaker(target.getHost(), port(target));
		if (!breaker.tryAcquirePermission()) {
			return Mono.error(new GatewayException(ErrorCode.BACKEND_UNAVAILABLE,
					"The ioTORQ LEAN service behind this address keeps failing; it gets no requests for a short while.",
					null, this.retryAfter));
		}
		return new GuardedCall(chain.filter(exchange), breaker);
	}

	CircuitBreaker breaker(String host, int port) {
		Ports ports = this.byHost.get(host);
		CircuitBreaker breaker = (ports != null) ? ports.find(port) : null;
		return (breaker != null) ? breaker : add(host, port);
	}

	private synchronized CircuitBreaker add(String host, int port) {
		Ports ports = this.byHost.get(host);
		CircuitBreaker breaker = (ports != null) ? ports.find(port) : null;
		if (breaker == null) {
			breaker = this.breakers.circuitBreaker("backend " + host + ":" + port, this.config);
			this.byHost.put(host, (ports != null) ? ports.with(port, breaker)
					: new Ports(new int[] { port }, new CircuitBreaker[] { breaker }));
		}
		return breaker;
	}

	private static int port(URI target) {
		int port = target.getPort();
		if (port == -1) {
			port = ("https".equalsIgnoreCase(target.getScheme()) || "wss".equalsIgnoreCase(target.getScheme())) ? 443
					: 80;
		}
		return port;
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

	/**
	 * The breakers of one host's ports (nearly always one), replaced as a whole when one
	 * is added.
	 */
	private record Ports(int[] ports, CircuitBreaker[] breakers) {

		@Nullable CircuitBreaker find(int port) {
			for (int i = 0; i < this.ports.length; i++) {
				if (this.ports[i] == port) {
					return this.breakers[i];
				}
			}
			return null;
		}

		Ports with(int port, CircuitBreaker breaker) {
			int[] morePorts = Arrays.copyOf(this.ports, this.ports.length + 1);
			CircuitBreaker[] moreBreakers = Arrays.copyOf(this.breakers, this.breakers.length + 1);
			morePorts[this.ports.length] = port;
			moreBreakers[this.breakers.length] = breaker;
			return new Ports(morePorts, moreBreakers);
		}

	}

	/**
	 * The backend call holding a permit: reports its outcome to the breaker exactly once
	 * (the error, which the breaker's predicate judges, or success), or gives the permit
	 * back when the call is cancelled. Subscribed once, as the filter chain's result is.
	 */
	static final class GuardedCall extends Mono<Void> implements CoreSubscriber<Void>, Subscription {

		private static final AtomicIntegerFieldUpdater<GuardedCall> DONE = AtomicIntegerFieldUpdater
			.newUpdater(GuardedCall.class, "done");

		private final Mono<Void> call;

		private final CircuitBreaker breaker;

		private final long started = System.nanoTime();

		// set by subscribe() and onSubscribe(): Reactive Streams calls them before any
		// other method
		@SuppressWarnings("NullAway.Init")
		private CoreSubscriber<? super Void> actual;

		@SuppressWarnings("NullAway.Init")
		private Subscription upstream;

		private volatile int done;

		GuardedCall(Mono<Void> call, CircuitBreaker breaker) {
			this.call = call;
			this.breaker = breaker;
		}

		@Override
		public void subscribe(CoreSubscriber<? super Void> actual) {
			this.actual = actual;
			this.call.subscribe(this);
		}

		@Override
		public Context currentContext() {
			return this.actual.currentContext();
		}

		@Override
		public void onSubscribe(Subscription s) {
			this.upstream = s;
			this.actual.onSubscribe(this);
		}

		@Override
		public void onNext(Void value) {
			this.actual.onNext(value);
		}

		@Override
		public void onError(Throwable ex) {
			if (finish()) {
				this.breaker.onError(System.nanoTime() - this.started, TimeUnit.NANOSECONDS, ex);
			}
			this.actual.onError(ex);
		}

		@Override
		public void onComplete() {
			if (finish()) {
				this.breaker.onSuccess(System.nanoTime() - this.started, TimeUnit.NANOSECONDS);
			}
			this.actual.onComplete();
		}

		@Override
		public void request(long n) {
			this.upstream.request(n);
		}

		@Override
		public void cancel() {
			if (finish()) {
				this.breaker.releasePermission();
			}
			this.upstream.cancel();
		}

		private boolean finish() {
			return DONE.compareAndSet(this, 0, 1);
		}

	}

	@Override
	public int getOrder() {
		return ORDER;
	}

}
