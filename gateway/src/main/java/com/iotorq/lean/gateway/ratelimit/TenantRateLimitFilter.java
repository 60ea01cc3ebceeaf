package com.iotorq.lean.gateway.ratelimit;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.http.HttpMethod;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import org.springframework.web.server.session.WebSessionIdResolver;

import com.iotorq.lean.gateway.observability.RequestRefusals;
import com.iotorq.lean.gateway.ratelimit.RequestRateLimiter.Bucket;
import com.iotorq.lean.gateway.ratelimit.RequestRateLimiter.Decision;
import com.iotorq.lean.gateway.tenant.Tenant;
import com.iotorq.lean.gateway.tenant.TenantAttributes;
import com.iotorq.lean.gateway.tenant.TenantResolutionWebFilter;
import com.iotorq.lean.gateway.web.ClientNetwork;
import com.iotorq.lean.gateway.web.ErrorCode;
import com.iotorq.lean.gateway.web.GatewayException;
import com.iotorq.lean.gateway.web.GatewayPaths;
import com.iotorq.lean.gateway.web.ManagementRequests;

/**
 * Limits each organisation's requests on the public port (429 with {@code Retry-After}) with two
 * budgets of its own rate ({@code requestsPerSecond} of the admin API, or
 * {@code lean.rate-limit.default-requests-per-second}): one for its signed-in people, one for
 * anonymous requests, of which one client ({@link ClientNetwork}: an IPv4 address, an IPv6 /64)
 * may use only {@code lean.rate-limit.client-share}. A flood from one address, or from many
 * without a session, so never refuses the people who are signed in.
 * <p>
 * The sign-in endpoints of an organisation with SSO ({@code GET /oauth/login}, the callback,
 * admin consent) count only in the client's share, not in the anonymous budget: a few addresses
 * flooding the organisation cannot stop its people from signing in. They keep their own limit
 * besides ({@code SignInRequestLimits}), and are not classified, so they never cost a session
 * lookup here.
 * <p>
 * Runs right after tenant resolution, so refused requests cost no backend call; a request costs
 * a session lookup only when it carries a session cookie, and a client's made-up cookies stop
 * being looked up once it has used up its {@link SessionLookupBudget}.
 */
public final class TenantRateLimitFilter implements WebFilter, Ordered {

	public static final int ORDER = TenantResolutionWebFilter.ORDER + 5;

	/** Where sign-in starts and completes ({@code GET}), matched exactly as the sign-in limit matches them. */
	private static final Set<String> SIGN_IN_ENDPOINTS = Set.of(GatewayPaths.LOGIN, GatewayPaths.CALLBACK,
			GatewayPaths.CALLBACK_WITHOUT_SLASH, GatewayPaths.ADMIN_CONSENT);

	private final RequestRateLimiter limiter;

	private final RateLimitProperties properties;

	private final SignedInRequests signedIn;

	private final RequestRefusals refusals;

	private final WebSessionIdResolver sessionIds;

	private final SessionLookupBudget lookups;

	public TenantRateLimitFilter(RequestRateLimiter limiter, RateLimitProperties properties, SignedInRequests signedIn,
			RequestRefusals refusals, WebSessionIdResolver sessionIds, Duration sessionIdleTimeout) {
		this.limiter = limiter;
		this.properties = properties;
		this.signedIn = signedIn;
		this.refusals = refusals;
		this.sessionIds = sessionIds;
		this.lookups = new SessionLookupBudget(properties.failedSessionLookupsPerMinute(), sessionIdleTimeout);
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
			return anonymous(tenant, rate, ClientNetwork.of(exchange), exchange, chain);
		}
		if (isSignInEndpoint(exchange)) {
			return signingIn(tenant, rate, exchange, chain);
		}
		List<String> ids = this.sessionIds.resolveSessionIds(exchange);
		if (ids.isEmpty()) {
			return anonymous(tenant, rate, ClientNetwork.of(exchange), exchange, chain);
		}
		String sessionId = ids.get(0);
		String client = ClientNetwork.of(exchange);
		boolean known = this.lookups.wasSignedIn(sessionId);
		if (!known && !this.lookups.mayLookUp(client)) {
			// its cookies are not looked up here while it floods, but Spring Security reads the
			// session of a request let through: a person signed in behind the same address is
			// remembered from then on
			return anonymous(tenant, rate, client, exchange, chain)
				.then(Mono.defer(() -> this.signedIn.foundSignedIn(exchange)))
				.doOnNext(found -> {
					if (found) {
						this.lookups.signedIn(sessionId);
					}
				})
				.then();
		}
		return this.signedIn.isSignedIn(exchange).map(signedIn -> {
			if (signedIn) {
				if (!known) {
					this.lookups.signedIn(sessionId);
				}
			}
			else {
				this.lookups.failed(client, sessionId, known);
			}
			return signedIn;
		})
			// a session store that cannot answer fails the request in the chain; here it counts as anonymous
			.onErrorReturn(false)
			.flatMap(signedIn -> signedIn ? signedIn(tenant, rate, exchange, chain)
					: anonymous(tenant, rate, client, exchange, chain));
	}

	/** Exactly the paths and method the gateway answers itself to sign a person in. */
	private static boolean isSignInEndpoint(ServerWebExchange exchange) {
		return HttpMethod.GET.equals(exchange.getRequest().getMethod())
				&& SIGN_IN_ENDPOINTS.contains(exchange.getRequest().getPath().value());
	}

	private Mono<Void> signedIn(Tenant tenant, int rate, ServerWebExchange exchange, WebFilterChain chain) {
		Bucket organisation = new Bucket(tenant.id().toString(), rate, this.properties.capacity(rate));
		return this.limiter.acquire(organisation)
			.flatMap(decision -> decision.allowed() ? chain.filter(exchange)
					: refuse(tenant, RequestRefusals.SIGNED_IN, decision,
							"Your organisation is sending more requests than its limit allows."));
	}

	/** A sign-in endpoint: only the client's share, whatever the organisation's anonymous traffic. */
	private Mono<Void> signingIn(Tenant tenant, int rate, ServerWebExchange exchange, WebFilterChain chain) {
		return this.limiter.acquire(clientBucket(tenant, rate, ClientNetwork.of(exchange)))
			.flatMap(decision -> decision.allowed() ? chain.filter(exchange)
					: refuse(tenant, RequestRefusals.CLIENT, decision,
							"Too many requests came from your address in a short time."));
	}

	private Bucket clientBucket(Tenant tenant, int rate, String clientNetwork) {
		double clientRate = rate * this.properties.clientShare();
		return new Bucket("client:" + tenant.id() + ":" + clientNetwork, clientRate, this.properties.capacity(clientRate));
	}

	private Mono<Void> anonymous(Tenant tenant, int rate, String clientNetwork, ServerWebExchange exchange,
			WebFilterChain chain) {
		Bucket anonymous = new Bucket("anonymous:" + tenant.id(), rate, this.properties.capacity(rate));
		Bucket client = clientBucket(tenant, rate, clientNetwork);
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
