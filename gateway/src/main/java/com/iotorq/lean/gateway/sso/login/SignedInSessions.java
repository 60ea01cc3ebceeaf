package com.iotorq.lean.gateway.sso.login;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.security.core.Authentication;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.session.WebSessionIdResolver;

import com.iotorq.lean.gateway.account.LeanUser;
import com.iotorq.lean.gateway.config.BenchAblation;
import com.iotorq.lean.gateway.tenant.Tenant;

/**
 * The pipeline's session step: the person signed in on this request, with every check of
 * {@link TenantBoundSecurityContextRepository} (this organisation, its SSO settings
 * version, the absolute timeout, the account re-check), read once per request
 * ({@link RequestScopedSecurityContexts}, shared with the limits step and with Spring
 * Security on the gateway's own endpoints).
 */
public final class SignedInSessions {

	private final RequestScopedSecurityContexts contexts;

	private final WebSessionIdResolver sessionIds;

	private final boolean on;

	public SignedInSessions(RequestScopedSecurityContexts contexts, WebSessionIdResolver sessionIds,
			BenchAblation ablation) {
		this.contexts = contexts;
		this.sessionIds = sessionIds;
		this.on = ablation.isOn(BenchAblation.Feature.SESSION);
	}

	/**
	 * @return {@code null} when there can be nobody signed in (the organisation has no
	 * SSO, or the request names no session), else the signed-in person, empty when there
	 * is none; an error when the session store cannot answer
	 */
	public @Nullable Mono<LeanUser> signedIn(ServerWebExchange exchange, Tenant tenant) {
		if (!this.on || !tenant.hasSso() || this.sessionIds.resolveSessionIds(exchange).isEmpty()) {
			return null;
		}
		return this.contexts.load(exchange).mapNotNull(context -> signedIn(context.getAuthentication()));
	}

	private static @Nullable LeanUser signedIn(@Nullable Authentication authentication) {
		return (authentication != null && authentication.isAuthenticated()
				&& authentication.getPrincipal() instanceof LeanUser user) ? user : null;
	}

}
