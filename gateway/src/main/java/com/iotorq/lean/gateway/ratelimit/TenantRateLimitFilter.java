package com.iotorq.lean.gateway.ratelimit;

import java.util.List;

import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

import com.iotorq.lean.gateway.observability.RequestRefusals;
import com.iotorq.lean.gateway.ratelimit.RequestRateLimiter.Bucket;
import com.iotorq.lean.gateway.ratelimit.RequestRateLimiter.Decision;
import com.iotorq.lean.gateway.tenant.Tenant;
import com.iotorq.lean.gateway.tenant.TenantAttributes;
import com.iotorq.lean.gateway.tenant.TenantResolutionWebFilter;
import com.iotorq.lean.gateway.web.ClientAddress;
import com.iotorq.lean.gateway.web.ErrorCode;
import com.iotorq.lean.gateway.web.GatewayException;
import com.iotorq.lean.gateway.web.ManagementRequests;

/**
 * Limits each organisation's requests on the public port (429 with {@code Retry-After}) with two
 * budgets of its own rate ({@code requestsPerSecond} of the admin API, or
 * {@code lean.rate-limit.default-requests-per-second}): one for its signed-in people, one for
 * anonymous requests, of which one client address may use only {@code lean.rate-limit.client-share}.
 * A flood from one address, or from many without a session, so never refuses the people who are
 * signed in. Runs right after tenant resolution, so refused requests cost neither a backend call
 * nor, without a session cookie, a session lookup. The sign-in endpoints keep their own limit
 * besides ({@code SignInRequestLimits}).
 */
public final class TenantRateLimitFilter implements WebFilter, Ordered {

	public static final int ORDER = TenantResolutionWebFilter.ORDER + 5;

	private final RequestRateLimiter limiter;

	private final RateLimitProperties properties;

	private final SignedInRequests signedIn;

	private final RequestRefusals refusals;

	public TenantRateLimitFilter(RequestRateLimiter limiter, RateLimitProperties properties, SignedInRequests signedIn,
			RequestRefusals refusals) {
		this.limiter = limiter;
		this.properties = properties;
		this.signedIn = signedIn;
		this.refusals = refusals;
	}

	@Override
	public String toString() {
		// named in a checkpoint on every request: not Object.toString's hash formatting
		return "TenantRateLimitFilter";
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		Tenant tenant = ManagementRequests.isManagement(exchange) ? null : TenantAttributes.tenant(exchange).orElse(null);
		if (tenant == null) {
			return chain.filter(exchange);
		}
		int rate = (tenant.requestsPerSecond() != null) ? tenant.requestsPerSecond()
				: this.properties.defaultRequestsPerSecond();
		if (!tenant.hasSso()) {
			return anonymous(tenant, rate, exchange, chain);
		}
		return this.signedIn.isSignedIn(exchange)
			.flatMap(signedIn -> signedIn ? signedIn(tenant, rate, exchange, chain)
					: anonymous(tenant, rate, exchange, chain));
	}

	private Mono<Void> signedIn(Tenant tenant, int rate, ServerWebExchange exchange, WebFilterChain chain) {
		Bucket organisation = new Bucket(tenant.id().toString(), rate, this.properties.capacity(rate));
		return this.limiter.acquire(organisation)
			.flatMap(decision -> decision.allowed() ? chain.filter(exchange)
					: refuse(tenant, RequestRefusals.SIGNED_IN, decision,
							"Your organisation is sending more requests than its limit allows."));
	}

	private Mono<Void> anonymous(Tenant tenant, int rate, ServerWebExchange exchange, WebFilterChain chain) {
		double clientRate = rate * this.properties.clientShare();
		Bucket anonymous = new Bucket("anonymous:" + tenant.id(), rate, this.properties.capacity(rate));
		Bucket client = new Bucket("client:" + tenant.id() + ":" + ClientAddress.of(exchange), clientRate,
				this.properties.capacity(clientRate));
		// a refused request takes nothing from either budget, so a flood does not drain the organisation's
		return this.limiter.acquire(List.of(anonymous, client)).flatMap(decision -> {
			if (decision.allowed()) {
				return chain.filter(exchange);
			}
			return (decision.refusedBy() == 0)
					? refuse(tenant, RequestRefusals.ANONYMOUS, decision,
							"Your organisation is receiving more requests than its limit allows.")
					: refuse(tenant, RequestRefusals.CLIENT, decision,
							"Too many requests came from your address in a short time.");
		});
	}

	private Mono<Void> refuse(Tenant tenant, String reason, Decision decision, String detail) {
		this.refusals.record(tenant.slug(), reason);
		return Mono.error(new GatewayException(ErrorCode.TOO_MANY_REQUESTS, detail, null, decision.retryAfterSeconds()));
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

}
