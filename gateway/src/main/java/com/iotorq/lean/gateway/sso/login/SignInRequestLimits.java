package com.iotorq.lean.gateway.sso.login;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.security.web.server.authentication.ServerAuthenticationSuccessHandler;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilterChain;

import com.iotorq.lean.gateway.observability.RequestLogContext;
import com.iotorq.lean.gateway.observability.RequestRefusals;
import com.iotorq.lean.gateway.ratelimit.RequestRateLimiter.Bucket;
import com.iotorq.lean.gateway.ratelimit.RequestRateLimiter;
import com.iotorq.lean.gateway.tenant.Tenant;
import com.iotorq.lean.gateway.tenant.TenantAttributes;
import com.iotorq.lean.gateway.web.ClientAddress;
import com.iotorq.lean.gateway.web.ClientNetwork;
import com.iotorq.lean.gateway.web.ErrorCode;
import com.iotorq.lean.gateway.web.GatewayException;
import com.iotorq.lean.gateway.web.GatewayPaths;

/**
 * Starting a sign-in is cheap for a client and costs the gateway a session and a call to
 * the identity provider, so each client (an address; an IPv6 client by its /64,
 * {@link ClientNetwork}) may start only {@code lean.sso.sign-in-rate-limit} sign-ins per
 * minute with an organisation (429 with {@code Retry-After} beyond), and every sign-in
 * completed gives its start back. A company behind one address signs in as fast as its
 * people do; an address that only starts sign-ins stays limited. Counted in Redis across
 * replicas with the Redis session store. Callbacks with oversized or repeated parameters
 * are refused at once.
 */
public final class SignInRequestLimits {

	private static final Logger logger = LoggerFactory.getLogger(SignInRequestLimits.class);

	/** Where sign-ins start; the callbacks only finish one a start was counted for. */
	private static final Set<String> STARTS = Set.of(GatewayPaths.LOGIN, GatewayPaths.ADMIN_CONSENT);

	private static final Set<String> CALLBACKS = Set.of(GatewayPaths.CALLBACK, GatewayPaths.CALLBACK_WITHOUT_SLASH);

	private static final int MAX_QUERY_LENGTH = 4096;

	private static final int MAX_PARAMETER_LENGTH = 2048;

	private final RequestRateLimiter limiter;

	private final int perMinute;

	private final RequestRefusals refusals;

	public SignInRequestLimits(RequestRateLimiter limiter, int perMinute, RequestRefusals refusals) {
		this.limiter = limiter;
		this.perMinute = perMinute;
		this.refusals = refusals;
	}

	/**
	 * For the sign-in endpoints only
	 * ({@link com.iotorq.lean.gateway.sso.GatewayEndpoints}): refuses a start beyond the
	 * limit.
	 */
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		String path = exchange.getRequest().getPath().value();
		boolean start = STARTS.contains(path);
		if (!(start || CALLBACKS.contains(path))) {
			return chain.filter(exchange);
		}
		if (!wellFormed(exchange)) {
			return Mono.error(new GatewayException(ErrorCode.BAD_REQUEST,
					"The sign-in request has oversized or repeated parameters.", null));
		}
		Tenant tenant = TenantAttributes.tenant(exchange).orElse(null);
		if (!start || tenant == null) {
			return chain.filter(exchange);
		}
		return this.limiter.acquire(bucket(tenant, exchange)).flatMap(decision -> {
			if (decision.allowed()) {
				return chain.filter(exchange);
			}
			this.refusals.record(tenant.slug(), RequestRefusals.SIGN_IN);
			RequestLogContext.log(exchange, () -> logger.debug("Client {} has started {} sign-ins it did not complete",
					ClientAddress.of(exchange), this.perMinute));
			return Mono.error(new GatewayException(ErrorCode.TOO_MANY_REQUESTS,
					"Too many sign-ins were started from your address in a short time.", null,
					decision.retryAfterSeconds()));
		});
	}

	/**
	 * Gives the start of a completed sign-in back to its client address, then answers as
	 * {@code handler}.
	 */
	public ServerAuthenticationSuccessHandler givingBackTheStart(ServerAuthenticationSuccessHandler handler) {
		return (filterExchange, authentication) -> {
			ServerWebExchange exchange = filterExchange.getExchange();
			Mono<Void> giveBack = TenantAttributes.tenant(exchange)
				.map(tenant -> this.limiter.giveBack(bucket(tenant, exchange)))
				.orElse(Mono.empty());
			return giveBack.then(handler.onAuthenticationSuccess(filterExchange, authentication));
		};
	}

	private Bucket bucket(Tenant tenant, ServerWebExchange exchange) {
		return new Bucket("sign-in:" + tenant.id() + ":" + ClientNetwork.of(exchange), this.perMinute / 60.0,
				this.perMinute);
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

}
