package com.iotorq.lean.gateway.setup;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpCookie;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.oauth2.core.endpoint.PkceParameterNames;
import org.springframework.security.oauth2.core.oidc.endpoint.OidcParameterNames;
import org.springframework.util.MultiValueMap;
import org.springframework.web.server.ServerWebExchange;

import com.iotorq.lean.gateway.audit.AuditLog;
import com.iotorq.lean.gateway.observability.RequestLogContext;
import com.iotorq.lean.gateway.sso.provider.IdentityProvider;
import com.iotorq.lean.gateway.sso.provider.IdentityProviders;
import com.iotorq.lean.gateway.tenant.SsoSettings;
import com.iotorq.lean.gateway.tenant.Tenant;
import com.iotorq.lean.gateway.tenant.TenantAttributes;
import com.iotorq.lean.gateway.web.GatewayException;
import com.iotorq.lean.gateway.web.GatewayPaths;

/**
 * Steps 3 and 4 of the setup page: the trips to the identity provider with the draft
 * registration (admin consent, test sign-in) and their answers at
 * {@code /oauth/complete/}. The setup session's cookie is SameSite=Strict, so it does not
 * come back with the provider's cross-site redirect: each trip is bound to its browser by
 * a random value in a SameSite=Lax cookie of its own ({@value #FLOW_COOKIE}, path
 * {@code /oauth/complete}, {@code lean.sso.setup.flow-ttl}) whose hash is kept with the
 * state, so a state alone finds nothing. The answer is kept with the session, and the
 * browser is sent back to the page from a page of this origin (a same-site navigation,
 * which carries the Strict cookie again).
 */
final class SetupProviderTrips {

	private static final Logger logger = LoggerFactory.getLogger(SetupProviderTrips.class);

	/** Binds a trip to the provider to the browser that started it. */
	static final String FLOW_COOKIE = "LEAN_SETUP_FLOW";

	private final SetupSessionRepository sessions;

	private final SetupSignIns signIns;

	private final IdentityProviders providers;

	private final AuditLog audit;

	private final SetupProperties properties;

	private final Clock clock;

	SetupProviderTrips(SetupSessionRepository sessions, SetupSignIns signIns, IdentityProviders providers,
			AuditLog audit, SetupProperties properties, Clock clock) {
		this.sessions = sessions;
		this.signIns = signIns;
		this.providers = providers;
		this.audit = audit;
		this.properties = properties;
		this.clock = clock;
	}

	/** Step 3: to the provider's admin consent for the draft registration. */
	Mono<Void> consent(ServerWebExchange exchange, Tenant tenant, SetupSession session) {
		if (!session.draft().complete()) {
			return SetupResponses.redirect(exchange, GatewayPaths.SETUP + "#step-2", HttpStatus.SEE_OTHER);
		}
		SsoSettings draft = SetupSignIns.draft(tenant, session, this.clock);
		String state = SetupTokens.random();
		String redirectUri = SetupResponses.callbackUri(exchange);
		URI target = this.signIns.adminConsentUri(draft, redirectUri, state);
		var flow = new SetupSession.Flow(SetupSession.Flow.CONSENT, session.draftVersion(), null, redirectUri,
				List.of(), null, null);
		return toProvider(exchange, tenant, session, state, flow, target, "sso.setup.consent-started");
	}

	/**
	 * Step 4: a sign-in through the draft registration, whose answer the callback keeps
	 * for the page.
	 */
	Mono<Void> test(ServerWebExchange exchange, Tenant tenant, SetupSession session) {
		if (!session.draft().complete()) {
			return SetupResponses.redirect(exchange, GatewayPaths.SETUP + "#step-2", HttpStatus.SEE_OTHER);
		}
		SsoSettings draft = SetupSignIns.draft(tenant, session, this.clock);
		return this.signIns.authorizationRequest(exchange, tenant, draft).flatMap(request -> {
			var flow = new SetupSession.Flow(SetupSession.Flow.TEST, session.draftVersion(),
					request.getAuthorizationUri(), request.getRedirectUri(), SetupSignIns.scopes(request),
					request.getAttribute(OidcParameterNames.NONCE),
					request.getAttribute(PkceParameterNames.CODE_VERIFIER));
			return toProvider(exchange, tenant, session, request.getState(), flow,
					URI.create(request.getAuthorizationRequestUri()), "sso.setup.test-started");
		}).onErrorResume(ex -> !(ex instanceof GatewayException), ex -> {
			IdentityProvider provider = this.providers.get(draft.provider());
			TestSignInResult failed = TestSignInResult.failed(this.clock.instant(), this.signIns.explain(provider, ex));
			RequestLogContext.log(exchange,
					() -> logger.info("Test sign-in of {} could not start: {}", tenant.slug(), ex.toString()));
			return this.sessions.recordTest(session.idHash(), failed, session.draftVersion())
				.then(SetupResponses.redirect(exchange, GatewayPaths.SETUP + "#step-4", HttpStatus.SEE_OTHER));
		});
	}

	private Mono<Void> toProvider(ServerWebExchange exchange, Tenant tenant, SetupSession session, String state,
			SetupSession.Flow flow, URI target, String auditAction) {
		String binder = SetupTokens.random();
		return this.sessions.startFlow(session.idHash(), state, SetupTokens.hash(binder), flow)
			.then(this.audit.record(session.actor(), auditAction, tenant.slug(), null, null,
					Map.of("clientId", String.valueOf(session.draft().clientId()))))
			.then(Mono.defer(() -> {
				exchange.getResponse()
					.addCookie(SetupResponses.cookie(exchange, FLOW_COOKIE, binder, GatewayPaths.CALLBACK_WITHOUT_SLASH,
							"Lax", this.properties.flowTtl()));
				return SetupResponses.redirect(exchange, target.toString(), HttpStatus.SEE_OTHER);
			}));
	}

	/**
	 * At {@code /oauth/complete/}: finishes a setup flow whose state and binding cookie
	 * this is.
	 * @return whether it was a setup flow's answer (and has been answered)
	 */
	Mono<Boolean> callback(ServerWebExchange exchange) {
		String path = exchange.getRequest().getPath().value();
		if (!(path.equals(GatewayPaths.CALLBACK) || path.equals(GatewayPaths.CALLBACK_WITHOUT_SLASH))) {
			return Mono.just(false);
		}
		Tenant tenant = TenantAttributes.tenant(exchange).orElse(null);
		MultiValueMap<String, String> query = exchange.getRequest().getQueryParams();
		String state = query.getFirst("state");
		HttpCookie binder = exchange.getRequest().getCookies().getFirst(FLOW_COOKIE);
		if (tenant == null || state == null || binder == null
				|| !HttpMethod.GET.equals(exchange.getRequest().getMethod())) {
			return Mono.just(false);
		}
		return this.sessions
			.findFlow(state, SetupTokens.hash(binder.getValue()), tenant.id(), this.properties.flowTtl())
			.flatMap(pending -> {
				exchange.getResponse()
					.addCookie(SetupResponses.cookie(exchange, FLOW_COOKIE, "", GatewayPaths.CALLBACK_WITHOUT_SLASH,
							"Lax", Duration.ZERO));
				SetupSession session = pending.session();
				return finish(exchange, tenant, session, pending.flow(), state, query)
					.then(SetupErrors.backToPage(exchange))
					.thenReturn(true);
			})
			.defaultIfEmpty(false);
	}

	private Mono<Void> finish(ServerWebExchange exchange, Tenant tenant, SetupSession session, SetupSession.Flow flow,
			String state, MultiValueMap<String, String> query) {
		SsoSettings draft = SetupSignIns.draft(tenant, session, this.clock);
		if (SetupSession.Flow.CONSENT.equals(flow.kind())) {
			ConsentResult result = consentResult(session, draft, query);
			return this.sessions.finishConsent(session.idHash(), state, result)
				.filter(Boolean::booleanValue)
				.flatMap(done -> this.audit.record(session.actor(), "sso.setup.consent", tenant.slug(), null, null,
						Map.of("granted", result.granted(), "clientId", result.clientId())));
		}
		return this.signIns.complete(tenant, draft, session.draft().certificateId(), flow, state, query)
			.flatMap(result -> this.sessions.finishTest(session.idHash(), state, result, flow.draftVersion())
				.filter(Boolean::booleanValue)
				.flatMap(done -> {
					RequestLogContext.log(exchange, () -> logger.info("Test sign-in via setup link {} of {}: {}",
							session.linkId(), tenant.slug(),
							result.ok() ? "ok" : ((result.problem() != null) ? result.problem().code() : "failed")));
					Map<String, Object> after = new LinkedHashMap<>();
					after.put("ok", result.ok());
					after.put("objectId", result.objectId());
					after.put("error", (result.problem() != null) ? result.problem().code() : null);
					return this.audit.record(session.actor(), "sso.setup.test-sign-in", tenant.slug(), result.email(),
							null, after);
				}));
	}

	private ConsentResult consentResult(SetupSession session, SsoSettings draft, MultiValueMap<String, String> query) {
		String error = query.getFirst("error");
		boolean granted = error == null && "true".equalsIgnoreCase(query.getFirst("admin_consent"));
		if (!granted) {
			IdentityProvider provider = this.providers.get(draft.provider());
			var explained = provider.explain((error != null) ? error : "consent_not_granted",
					query.getFirst("error_description"));
			Explained problem = explained.map(Explained::of)
				.orElse(new Explained(String.valueOf(error), "Admin consent was not granted",
						"Consent was not granted for your organisation.", "You, the Microsoft Entra administrator",
						"Only an administrator of your directory can grant consent. Try again, or ask one to.", null));
			return new ConsentResult(this.clock.instant(), String.valueOf(draft.clientId()), false, false, problem);
		}
		String directory = query.getFirst("tenant");
		boolean same = directory != null && directory.equalsIgnoreCase(draft.directoryId());
		return new ConsentResult(this.clock.instant(), String.valueOf(draft.clientId()), true, same, null);
	}

}
