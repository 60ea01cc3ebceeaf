package com.iotorq.lean.gateway.sso;

import reactor.core.publisher.Mono;

import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.server.WebFilterExchange;
import org.springframework.security.web.server.authentication.ServerAuthenticationFailureHandler;

import com.iotorq.lean.gateway.tenant.TenantAttributes;
import com.iotorq.lean.gateway.web.ErrorResponses;

/**
 * Shows the page for a failed sign-in; no session is created.
 */
public final class SignInFailureHandler implements ServerAuthenticationFailureHandler {

	private final SignInErrors errors;

	public SignInFailureHandler(SignInErrors errors) {
		this.errors = errors;
	}

	@Override
	public Mono<Void> onAuthenticationFailure(WebFilterExchange exchange, AuthenticationException failure) {
		var tenant = TenantAttributes.tenant(exchange.getExchange()).orElse(null);
		return ErrorResponses.write(exchange.getExchange(), this.errors.report(tenant, failure));
	}

}
