package com.iotorq.lean.gateway.sso.login;

import java.net.URI;

import reactor.core.publisher.Mono;

import org.springframework.security.core.Authentication;
import org.springframework.security.web.server.DefaultServerRedirectStrategy;
import org.springframework.security.web.server.ServerRedirectStrategy;
import org.springframework.security.web.server.WebFilterExchange;
import org.springframework.security.web.server.authentication.ServerAuthenticationSuccessHandler;

import com.iotorq.lean.gateway.account.LeanUser;
import com.iotorq.lean.gateway.observability.SignInMetrics;
import com.iotorq.lean.gateway.sso.oidc.NextPath;
import com.iotorq.lean.gateway.sso.oidc.PendingSignIns;

/**
 * Sends a person who just signed in to where they were going: the {@code next} path saved
 * with their sign-in, already checked to stay on this host.
 */
public final class SignInSuccessHandler implements ServerAuthenticationSuccessHandler {

	private final ServerRedirectStrategy redirects = new DefaultServerRedirectStrategy();

	private final SignInMetrics metrics;

	public SignInSuccessHandler(SignInMetrics metrics) {
		this.metrics = metrics;
	}

	@Override
	public Mono<Void> onAuthenticationSuccess(WebFilterExchange exchange, Authentication authentication) {
		if (authentication.getPrincipal() instanceof LeanUser user) {
			this.metrics.record(user.tenantSlug(), SignInMetrics.SUCCESS);
		}
		Object next = exchange.getExchange().getAttribute(PendingSignIns.NEXT_ATTRIBUTE);
		String target = NextPath.sanitize((next instanceof String path) ? path : null);
		return this.redirects.sendRedirect(exchange.getExchange(), URI.create(target));
	}

}
