package com.iotorq.lean.gateway.sso;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

import com.iotorq.lean.gateway.web.ErrorCode;
import com.iotorq.lean.gateway.web.GatewayException;
import com.iotorq.lean.gateway.web.GatewayPaths;
import com.iotorq.lean.gateway.web.ManagementRequests;
import com.iotorq.lean.gateway.observability.RequestLogContext;

/**
 * Starting a sign-in is cheap for a client and costs the gateway a session and a call to the
 * identity provider, so the sign-in endpoints are limited per client address (429 with
 * {@code Retry-After}), and callbacks with oversized or repeated parameters are refused at once.
 */
public final class SignInRequestLimits implements WebFilter, Ordered {

	private static final Logger logger = LoggerFactory.getLogger(SignInRequestLimits.class);

	private static final Set<String> LIMITED = Set.of(GatewayPaths.LOGIN, GatewayPaths.CALLBACK,
			GatewayPaths.CALLBACK_WITHOUT_SLASH, GatewayPaths.ADMIN_CONSENT);

	private static final int MAX_QUERY_LENGTH = 4096;

	private static final int MAX_PARAMETER_LENGTH = 2048;

	private static final Duration WINDOW = Duration.ofMinutes(1);

	private final int perWindow;

	/** Requests per client address in the current window; the entry expires with the window. */
	private final Cache<String, AtomicInteger> counts = Caffeine.newBuilder()
		.maximumSize(100_000)
		.expireAfterWrite(WINDOW)
		.build();

	public SignInRequestLimits(int perMinute) {
		this.perWindow = perMinute;
	}

	@Override
	public String toString() {
		// named in a checkpoint on every request: not Object.toString's hash formatting
		return "SignInRequestLimits";
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		String path = exchange.getRequest().getPath().pathWithinApplication().value();
		if (ManagementRequests.isManagement(exchange) || !LIMITED.contains(path)) {
			return chain.filter(exchange);
		}
		if (!wellFormed(exchange)) {
			return Mono.error(new GatewayException(ErrorCode.BAD_REQUEST,
					"The sign-in request has oversized or repeated parameters.", null));
		}
		String client = clientAddress(exchange);
		int count = this.counts.get(client, key -> new AtomicInteger()).incrementAndGet();
		if (count > this.perWindow) {
			if (count == this.perWindow + 1) {
				RequestLogContext.log(exchange,
						() -> logger.warn("Client {} exceeded {} sign-in requests per minute", client, this.perWindow));
			}
			return Mono.error(new GatewayException(ErrorCode.TOO_MANY_REQUESTS,
					"Too many sign-in attempts came from your address in a short time.", null, WINDOW));
		}
		return chain.filter(exchange);
	}

	private static boolean wellFormed(ServerWebExchange exchange) {
		String query = exchange.getRequest().getURI().getRawQuery();
		if (query != null && query.length() > MAX_QUERY_LENGTH) {
			return false;
		}
		for (Map.Entry<String, List<String>> parameter : exchange.getRequest().getQueryParams().entrySet()) {
			if (parameter.getValue().size() > 1) {
				return false;
			}
			String value = parameter.getValue().get(0);
			if (value != null && value.length() > MAX_PARAMETER_LENGTH) {
				return false;
			}
		}
		return true;
	}

	private static String clientAddress(ServerWebExchange exchange) {
		// after the trusted-proxy check, so behind the ingress this is the browser's address
		InetSocketAddress remote = exchange.getRequest().getRemoteAddress();
		return (remote != null && remote.getAddress() != null) ? remote.getAddress().getHostAddress() : "unknown";
	}

	@Override
	public int getOrder() {
		return -190; // right after tenant resolution
	}

}
