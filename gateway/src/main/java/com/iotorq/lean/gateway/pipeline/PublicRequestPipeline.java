package com.iotorq.lean.gateway.pipeline;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.util.context.Context;

import org.springframework.core.Ordered;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

import com.iotorq.lean.gateway.account.LeanUser;
import com.iotorq.lean.gateway.identity.IdentityHeaders;
import com.iotorq.lean.gateway.observability.AccessLog;
import com.iotorq.lean.gateway.observability.RequestContext;
import com.iotorq.lean.gateway.observability.RequestMetrics;
import com.iotorq.lean.gateway.ratelimit.TenantRateLimits;
import com.iotorq.lean.gateway.routing.TraceContext;
import com.iotorq.lean.gateway.scim.ScimEndpoint;
import com.iotorq.lean.gateway.sso.endpoints.CrossSiteRequestGuard;
import com.iotorq.lean.gateway.sso.endpoints.GatewayEndpoints;
import com.iotorq.lean.gateway.sso.login.SignedInSessions;
import com.iotorq.lean.gateway.sso.login.TenantAccessPolicy;
import com.iotorq.lean.gateway.sso.pages.SignInChooser;
import com.iotorq.lean.gateway.tenant.Tenant;
import com.iotorq.lean.gateway.tenant.TenantResolution;
import com.iotorq.lean.gateway.web.ManagementRequests;
import com.iotorq.lean.gateway.web.PublicFirewall;
import com.iotorq.lean.gateway.web.SecurityHeaders;

/**
 * Everything the gateway does to a request on the public port, in order, in one place:
 * <ol>
 * <li>trace context: the request id of every log line, error page and backend trace;</li>
 * <li>firewall: malformed forwarded headers, paths and headers are refused, the path gets
 * one spelling;</li>
 * <li>tenant: the organisation, from the host. SCIM provisioning requests
 * ({@code /scim/v2/**}) leave here for the organisation's SCIM endpoint
 * ({@link ScimEndpoint}), which applies its own limit and takes a bearer token, never a
 * cookie or session, and never forwards;</li>
 * <li>limits: the organisation's budgets, per client and per sign-in start (a request
 * with a session cookie is classified by its session, which is read here once and kept
 * for step 6);</li>
 * <li>cross-site guard: state changes from another site's pages are refused;</li>
 * <li>the gateway's own endpoints ({@code /oauth/login}, the callback, logout, admin
 * consent, the chooser, {@code /account/*}, the SSO setup page {@code /oauth/setup})
 * leave here for Spring Security's sign-in chain and the pages;</li>
 * <li>session: who is signed in, bound to this organisation and its SSO settings;</li>
 * <li>access policy: a person who must sign in first is sent to (an OPTIONAL
 * organisation's password login page may show the sign-in chooser instead);</li>
 * <li>identity headers: who the backend is talking to;</li>
 * <li>security headers, access log and metrics, as the response is sent.</li>
 * </ol>
 * Each step is a plain synchronous method of its own class (a test can run it alone) and
 * the only waits are where a step must wait: a tenant not yet cached, a session or limit
 * kept in Redis. A refusal is a {@link com.iotorq.lean.gateway.web.GatewayException}
 * thrown by the step; the gateway's error handler turns it into a page or problem+json. A
 * signed-in person's request for a backend never enters Spring Security.
 * <p>
 * The management port gets none of this: its context inherits this filter, so it passes
 * its requests straight on.
 */
public final class PublicRequestPipeline implements WebFilter, Ordered {

	/**
	 * First of the public port's filters; only the management port's marker runs before
	 * it.
	 */
	public static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 10;

	private final TraceContext traceContext;

	private final PublicFirewall firewall;

	private final TenantResolution tenants;

	private final TenantRateLimits limits;

	private final ScimEndpoint scim;

	private final CrossSiteRequestGuard crossSite;

	private final GatewayEndpoints endpoints;

	private final SignedInSessions sessions;

	private final TenantAccessPolicy accessPolicy;

	private final SignInChooser chooser;

	private final IdentityHeaders identityHeaders;

	private final SecurityHeaders securityHeaders;

	private final AccessLog accessLog;

	private final RequestMetrics metrics;

	public PublicRequestPipeline(TraceContext traceContext, PublicFirewall firewall, TenantResolution tenants,
			TenantRateLimits limits, ScimEndpoint scim, CrossSiteRequestGuard crossSite, GatewayEndpoints endpoints,
			SignedInSessions sessions, TenantAccessPolicy accessPolicy, SignInChooser chooser,
			IdentityHeaders identityHeaders, SecurityHeaders securityHeaders, AccessLog accessLog,
			RequestMetrics metrics) {
		this.traceContext = traceContext;
		this.firewall = firewall;
		this.tenants = tenants;
		this.limits = limits;
		this.scim = scim;
		this.crossSite = crossSite;
		this.endpoints = endpoints;
		this.sessions = sessions;
		this.accessPolicy = accessPolicy;
		this.chooser = chooser;
		this.identityHeaders = identityHeaders;
		this.securityHeaders = securityHeaders;
		this.accessLog = accessLog;
		this.metrics = metrics;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		if (ManagementRequests.isManagement(exchange)) {
			return chain.filter(exchange);
		}
		long started = System.nanoTime();
		String requestId = this.traceContext.start(exchange);
		exchange.getResponse().beforeCommit(() -> {
			whenSent(exchange, started);
			return Mono.empty();
		});
		try {
			ServerWebExchange checked = this.firewall.check(exchange);
			Tenant tenant = this.tenants.resolveNow(checked);
			return (tenant != null) ? forTenant(checked, chain, tenant, requestId)
					: this.tenants.resolve(checked).flatMap(loaded -> forTenant(checked, chain, loaded, requestId));
		}
		catch (RuntimeException refused) {
			return Mono.error(refused);
		}
	}

	/** Steps 4 and on, once the organisation is known. */
	private Mono<Void> forTenant(ServerWebExchange exchange, WebFilterChain chain, Tenant tenant,
			@Nullable String requestId) {
		Mono<Void> rest;
		if (this.scim.isScim(exchange)) {
			rest = this.scim.handle(exchange, tenant);
		}
		else {
			try {
				Mono<Void> admitted = this.limits.admit(exchange, tenant);
				rest = (admitted == null) ? afterLimits(exchange, chain, tenant)
						: admitted.then(Mono.defer(() -> afterLimits(exchange, chain, tenant)));
			}
			catch (RuntimeException refused) {
				return Mono.error(refused);
			}
		}
		// the request id and organisation of the gateway's log lines further down (e.g.
		// the account re-check)
		return rest.contextWrite((requestId != null)
				? Context.of(RequestContext.REQUEST_ID, requestId, RequestContext.TENANT, tenant.slug())
				: Context.of(RequestContext.TENANT, tenant.slug()));
	}

	private Mono<Void> afterLimits(ServerWebExchange exchange, WebFilterChain chain, Tenant tenant) {
		this.crossSite.check(exchange);
		if (this.endpoints.isEndpoint(exchange)) {
			return this.endpoints.handle(exchange, chain);
		}
		Mono<LeanUser> session = this.sessions.signedIn(exchange, tenant);
		if (session == null) {
			return toBackend(exchange, chain, tenant, null);
		}
		return session.map(user -> new SignedIn(user))
			.defaultIfEmpty(SignedIn.NOBODY)
			.flatMap(signedIn -> toBackend(exchange, chain, tenant, signedIn.user()));
	}

	/** Steps 8 to 10, then Spring Cloud Gateway's routing and the backend call. */
	private Mono<Void> toBackend(ServerWebExchange exchange, WebFilterChain chain, Tenant tenant,
			@Nullable LeanUser user) {
		// also on the way to sign in and on the chooser, as Spring Security's chain wrote
		// them there
		this.securityHeaders.onCommit(exchange);
		Mono<Void> refused = this.accessPolicy.check(exchange, tenant, user);
		if (refused != null) {
			return refused;
		}
		if (user != null) {
			this.identityHeaders.add(exchange, user);
		}
		else if (this.chooser.intercepts(exchange, tenant)) {
			return this.chooser.passwordLogin(exchange, tenant)
				.flatMap(shown -> shown ? Mono.empty() : chain.filter(exchange));
		}
		return chain.filter(exchange);
	}

	private void whenSent(ServerWebExchange exchange, long started) {
		this.securityHeaders.writeIfAsked(exchange);
		this.accessLog.record(exchange, started);
		this.metrics.record(exchange, started);
	}

	/** The session step's answer: a signed-in person, or nobody. */
	private record SignedIn(@Nullable LeanUser user) {

		static final SignedIn NOBODY = new SignedIn(null);

	}

	@Override
	public String toString() {
		// named in a checkpoint on every request: not Object.toString's hash formatting
		return "PublicRequestPipeline";
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

}
