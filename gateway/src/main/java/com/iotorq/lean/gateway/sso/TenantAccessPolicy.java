package com.iotorq.lean.gateway.sso;

import reactor.core.publisher.Mono;

import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.authorization.ReactiveAuthorizationManager;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.server.authorization.AuthorizationContext;

import com.iotorq.lean.gateway.account.LeanUser;
import com.iotorq.lean.gateway.tenant.SsoSettings;
import com.iotorq.lean.gateway.tenant.Tenant;
import com.iotorq.lean.gateway.tenant.TenantAttributes;

/**
 * Who may pass to an organisation's backend: anyone where the gateway does not sign the
 * organisation's users in (its backend does its own login) or sign-in is optional; only a
 * user signed in to this organisation where it is required.
 */
public final class TenantAccessPolicy implements ReactiveAuthorizationManager<AuthorizationContext> {

	@Override
	public Mono<AuthorizationResult> authorize(Mono<Authentication> authentication, AuthorizationContext context) {
		Tenant tenant = TenantAttributes.required(context.getExchange());
		if (!tenant.hasSso() || tenant.sso().mode() == SsoSettings.Mode.OPTIONAL) {
			return Mono.just(new AuthorizationDecision(true));
		}
		return authentication
			.map(auth -> auth.isAuthenticated() && auth.getPrincipal() instanceof LeanUser user
					&& user.tenantSlug().equals(tenant.slug()))
			.defaultIfEmpty(false)
			.map(granted -> new AuthorizationDecision(granted));
	}

}
