package com.iotorq.lean.gateway.sso.pages;

import reactor.core.publisher.Mono;

import org.springframework.http.HttpMethod;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

import com.iotorq.lean.gateway.tenant.Tenant;
import com.iotorq.lean.gateway.tenant.TenantAttributes;
import com.iotorq.lean.gateway.web.GatewayPaths;
import com.iotorq.lean.gateway.web.Page;

/**
 * The gateway's own sign-in pages that are not part of Spring Security's login flow: the
 * sign-out confirmation, admin consent, and the consent answer arriving at the callback.
 */
public final class SignInPagesFilter implements WebFilter {

	private final AdminConsentFlow consent;

	public SignInPagesFilter(AdminConsentFlow consent) {
		this.consent = consent;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		if (exchange.getRequest().getMethod() != HttpMethod.GET) {
			return chain.filter(exchange);
		}
		String path = exchange.getRequest().getPath().pathWithinApplication().value();
		Tenant tenant = TenantAttributes.tenant(exchange).orElse(null);
		if (tenant == null) {
			return chain.filter(exchange);
		}
		return switch (path) {
			case GatewayPaths.LOGOUT -> Page.titled("Sign out of ioTORQ LEAN")
				.paragraph("You are about to sign out of " + tenant.displayName() + ".")
				.postButton("Sign out", GatewayPaths.LOGOUT, "Cancel", "/")
				.writeTo(exchange);
			case GatewayPaths.ADMIN_CONSENT -> this.consent.start(exchange, tenant);
			case GatewayPaths.CALLBACK, GatewayPaths.CALLBACK_WITHOUT_SLASH -> this.consent.complete(exchange, tenant)
				.flatMap(answered -> answered ? Mono.<Void>empty() : chain.filter(exchange));
			default -> chain.filter(exchange);
		};
	}

}
