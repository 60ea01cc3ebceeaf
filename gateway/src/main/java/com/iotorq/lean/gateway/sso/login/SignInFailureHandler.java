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
 * Shows the page for a failed sign-in; no session is created.
 */
public final class SignInFailureHandler implements ServerAuthenticationFailureHandler {

	private final SignInErrors errors;

	private final SignInMetrics metrics;

	public SignInFailureHandler(SignInErrors errors, SignInMetrics metrics) {
		this.errors = errors;
		this.metrics = metrics;
	}

	@Override
	public Mono<Void> onAuthenticationFailure(WebFilterExchange exchange, AuthenticationException failure) {
		var tenant = TenantAttributes.tenant(exchange.getExchange()).orElse(null);
		ErrorReport report = RequestLogContext.log(exchange.getExchange(), () -> this.errors.report(tenant, failure));
		String outcome = report.facts().stream().filter(fact -> fact.field().equals("error")).map(ErrorReport.Fact::value)
			.findFirst().orElse(report.code());
		this.metrics.record((tenant != null) ? tenant.slug() : "unknown", outcome);
		return ErrorResponses.write(exchange.getExchange(), report);
	}

}
