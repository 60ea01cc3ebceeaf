package com.iotorq.lean.gateway.ratelimit;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpMethod;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.session.WebSessionIdResolver;

import com.iotorq.lean.gateway.observability.RequestRefusals;
import com.iotorq.lean.gateway.ratelimit.RequestRateLimiter.Bucket;
import com.iotorq.lean.gateway.ratelimit.RequestRateLimiter.Decision;
import com.iotorq.lean.gateway.tenant.Tenant;
import com.iotorq.lean.gateway.config.BenchAblation;
import com.iotorq.lean.gateway.web.ClientNetwork;
import com.iotorq.lean.gateway.web.ErrorCode;
import com.iotorq.lean.gateway.web.GatewayException;
import com.iotorq.lean.gateway.web.GatewayPaths;

/**
 * Limits each organisation's requests on the public port (429 with {@code Retry-After})
 * with two budgets of its own rate ({@code requestsPerSecond} of the admin API, or
 * {@code lean.rate-limit.default-requests-per-second}): one for its signed-in people, one
 * for anonymous requests, of which one client ({@link ClientNetwork}: an IPv4 address, an
 * IPv6 /64) may use only {@code lean.rate-limit.client-share}. A flood from one address,
 * or from many without a session, so never refuses the people who are signed in.
 * <p>
 * The sign-in endpoints of an organisation with SSO ({@code GET /oauth/login}, the
 * callback, admin consent) count only in the client's share, not in the anonymous budget:
 * a few addresses flooding the organisation cannot stop its people from signing in. They
 * keep their own limit besides ({@code SignInRequestLimits}), and are not classified, so
 * they never cost a session lookup here.
 * <p>
 * SCIM provisioning requests ({@code /scim/v2/**}) have a budget of their own, of the
 * organisation's rate, and one client's share of it: Entra's provisioning cycles neither
 * take from nor are refused by its people's requests, and one address sending made-up
 * tokens cannot use up the budget. They are never classified by a session.
 * <p>
 * The pipeline's limits step, right after tenant resolution, so refused requests cost no
 * backend call; a request costs a session lookup only when it carries a session cookie,
 * and a client's made-up cookies stop being looked up once it has used up its
 * {@link SessionLookupBudget}. With the memory limiter nothing waits; with Redis the step
 * waits for one script call.
 */
public final class TenantRateLimits {

	/**
	 * Where sign-in starts and completes ({@code GET}), matched exactly as the sign-in
	 * limit matches them.
	 */
	private static final Set<String> SIGN_IN_ENDPOINTS = Set.of(GatewayPaths.LOGIN, GatewayPaths.CALLBACK,
			GatewayPaths.CALLBACK_WITHOUT_SLASH, GatewayPaths.ADMIN_CONSENT);

	private final RequestRateLimiter limiter;

	private final RateLimitProperties properties;

	private final SignedInRequests signedIn;

	private final RequestRefusals refusals;

	private final WebSessionIdResolver sessionIds;

	private final SessionLookupBudget lookups;

	private final boolean on;

	/**
	 * The organisation-wide buckets of each tenant (weak keys: a changed tenant is a new
	 * object).
	 */
	private final LoadingCache<Tenant, OrganisationBuckets> organisations = Caffeine.newBuilder()
		.weakKeys()
		.build(this::organisationBuckets);

	public TenantRateLimits(RequestRateLimiter limiter, RateLimitProperties properties, SignedInRequests signedIn,
			RequestRefusals refusals, WebSessionIdResolver sessionIds, Duration sessionIdleTimeout,
			BenchAblation ablation) {
		this.on = properties.enabled() && ablation.isOn(BenchAblation.Feature.RATE_LIMIT);
		this.limiter = limiter;
		this.properties = properties;
		this.signedIn = signedIn;
		this.refusals = refusals;
		this.sessionIds = sessionIds;
		this.lookups = new SessionLookupBudget(properties.failedSessionLookupsPerMinute(), sessionIdleTimeout);
	}

	/**
	 * Takes the request's tokens.
	 * @return {@code null} when the request was let through at once, else what to wait
	 * for: empty when it may pass
	 * @throws GatewayException (429) when it was refused at once
	 */
	public @Nullable Mono<Void> admit(ServerWebExchange exchange, Tenant tenant) {
		if (!this.on) {
			return null;
		}
		OrganisationBuckets organisation = this.organisations.get(tenant);
		if (GatewayPaths.isScim(exchange.getRequest().getPath().value())) {
			return take(tenant,
					List.of(organisation.scim(), clientBucket(tenant, organisation, ClientNetwork.of(exchange))),
					SCIM_OR_CLIENT);
		}
		if (!tenant.hasSso()) {
			return anonymous(tenant, organisation, ClientNetwork.of(exchange));
		}
		if (isSignInEndpoint(exchange)) {
			return take(tenant, List.of(clientBucket(tenant, organisation, ClientNetwork.of(exchange))), CLIENT_ONLY);
		}
		List<String> ids = this.sessionIds.resolveSessionIds(exchange);
		if (ids.isEmpty()) {
			return anonymous(tenant, organisation, ClientNetwork.of(exchange));
		}
		String sessionId = ids.get(0);
		String client = ClientNetwork.of(exchange);
		boolean known = this.lookups.wasSignedIn(sessionId);
		if (!known && !this.lookups.mayLookUp(client)) {
			// its cookies are not looked up here while it floods, but the session step
			// reads the
			// session of a request let through: a person signed in behind the same
			// address is
			// remembered from then on
			exchange.getResponse().beforeCommit(() -> this.signedIn.foundSignedIn(exchange).doOnNext(found -> {
				if (found) {
					this.lookups.signedIn(sessionId);
				}
			}).then());
			return anonymous(tenant, organisation, client);
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
			// a session store that cannot answer fails the request in the session step;
			// here it counts as anonymous
			.onErrorReturn(false)
			.flatMap(signedIn -> {
				Mono<Void> admitted = signedIn ? take(tenant, organisation.signedIn(), SIGNED_IN_ONLY)
						: anonymous(tenant, organisation, client);
				return (admitted != null) ? admitted : Mono.empty();
			});
	}

	/** Exactly the paths and method the gateway answers itself to sign a person in. */
	private static boolean isSignInEndpoint(ServerWebExchange exchange) {
		return HttpMethod.GET.equals(exchange.getRequest().getMethod())
				&& SIGN_IN_ENDPOINTS.contains(exchange.getRequest().getPath().value());
	}

	private @Nullable Mono<Void> anonymous(Tenant tenant, OrganisationBuckets organisation, String clientNetwork) {
		// a refused request takes nothing from either budget, so a flood does not drain
		// the organisation's
		return take(tenant, List.of(organisation.anonymous(), clientBucket(tenant, organisation, clientNetwork)),
				ANONYMOUS_OR_CLIENT);
	}

	private Bucket clientBucket(Tenant tenant, OrganisationBuckets organisation, String clientNetwork) {
		return new Bucket(organisation.clientKeyPrefix() + clientNetwork, organisation.clientRate(),
				this.properties.capacity(organisation.clientRate()));
	}

	/** Takes from every bucket or none, answering at once where the limiter can. */
	private @Nullable Mono<Void> take(Tenant tenant, List<Bucket> buckets, Refusal[] refusals) {
		Decision now = this.limiter.decideNow(buckets);
		if (now != null) {
			if (!now.allowed()) {
				throw refused(tenant, refusals[now.refusedBy()], now);
			}
			return null;
		}
		return this.limiter.acquire(buckets)
			.flatMap(decision -> decision.allowed() ? Mono.empty()
					: Mono.error(refused(tenant, refusals[decision.refusedBy()], decision)));
	}

	private GatewayException refused(Tenant tenant, Refusal refusal, Decision decision) {
		this.refusals.record(tenant.slug(), refusal.reason());
		return new GatewayException(ErrorCode.TOO_MANY_REQUESTS, refusal.detail(), null, decision.retryAfterSeconds());
	}

	private OrganisationBuckets organisationBuckets(Tenant tenant) {
		int rate = (tenant.requestsPerSecond() != null) ? tenant.requestsPerSecond()
				: this.properties.defaultRequestsPerSecond();
		long capacity = this.properties.capacity(rate);
		double clientRate = rate * this.properties.clientShare();
		return new OrganisationBuckets(List.of(new Bucket(tenant.id().toString(), rate, capacity)),
				new Bucket("anonymous:" + tenant.id(), rate, capacity),
				new Bucket("scim:" + tenant.id(), rate, capacity), "client:" + tenant.id() + ":", clientRate);
	}

	/** Why a bucket refused, by its place in the request's list of buckets. */
	private record Refusal(String reason, String detail) {
	}

	private static final Refusal[] SIGNED_IN_ONLY = { new Refusal(RequestRefusals.SIGNED_IN,
			"Your organisation is sending more requests than its limit allows.") };

	private static final Refusal CLIENT = new Refusal(RequestRefusals.CLIENT,
			"Too many requests came from your address in a short time.");

	private static final Refusal[] CLIENT_ONLY = { CLIENT };

	private static final Refusal[] SCIM_OR_CLIENT = { new Refusal(RequestRefusals.SCIM,
			"Your organisation is sending more provisioning requests than its limit allows."), CLIENT };

	private static final Refusal[] ANONYMOUS_OR_CLIENT = { new Refusal(RequestRefusals.ANONYMOUS,
			"Your organisation is receiving more requests than its limit allows."), CLIENT };

	/**
	 * @param signedIn the organisation's budget for its signed-in people, as a request's
	 * list
	 * @param anonymous its budget for anonymous requests
	 * @param scim its budget for SCIM provisioning requests
	 * @param clientKeyPrefix the key of a client's share, without the client
	 * @param clientRate the rate of a client's share
	 */
	private record OrganisationBuckets(List<Bucket> signedIn, Bucket anonymous, Bucket scim, String clientKeyPrefix,
			double clientRate) {
	}

}
