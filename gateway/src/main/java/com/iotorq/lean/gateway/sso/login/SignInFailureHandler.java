package com.iotorq.lean.gateway.sso.login;

import reactor.core.publisher.Mono;

import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.server.WebFilterExchange;
import org.springframework.security.web.server.authentication.ServerAuthenticationFailureHandler;

import com.iotorq.lean.gateway.observability.SignInMetrics;
import com.iotorq.lean.gateway.tenant.TenantAttributes;
import com.iotorq.lean.gateway.web.ErrorReport;
import com.iotorq.lean.gateway.web.ErrorResponses;
import com.iotorq.lean.gateway.observability.RequestLogContext;

/**
 * Shows the page for a failed sign-in and counts it; no session is created.
 */
public final class SignInFailureHandler implements ServerAuthenticationFailureHandler {

	private final SignInFailures failures;

	private final SignInErrors errors;

	private final SignInMetrics metrics;

	public SignInFailureHandler(SignInFailures failures, SignInErrors errors, SignInMetrics metrics) {
		this.failures = failures;
		this.errors = errors;
		this.metrics = metrics;
	}

	@Override
	public Mono<Void> onAuthenticationFailure(WebFilterExchange exchange, AuthenticationException exception) {
		var tenant = TenantAttributes.tenant(exchange.getExchange()).orElse(null);
		SignInFailure failure = this.failures.classify(exchange, exception);
		ErrorReport report = RequestLogContext.log(exchange.getExchange(), () -> this.errors.report(tenant, failure));
		this.metrics.record((tenant != null) ? tenant.slug() : "unknown", failure.metricTag());
		return ErrorResponses.write(exchange.getExchange(), report);
	}

}
