package com.iotorq.lean.gateway.sso.login;

import java.time.Duration;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.security.core.Authentication;
import org.springframework.security.web.server.WebFilterExchange;
import org.springframework.security.web.server.authentication.ServerAuthenticationFailureHandler;
import org.springframework.security.web.server.authentication.ServerAuthenticationSuccessHandler;

import com.iotorq.lean.gateway.account.LeanUser;
import com.iotorq.lean.gateway.audit.SignInEvent;
import com.iotorq.lean.gateway.audit.SignInEventRepository;
import com.iotorq.lean.gateway.observability.RequestLogContext;
import com.iotorq.lean.gateway.sso.provider.IdentityProviders;
import com.iotorq.lean.gateway.tenant.Tenant;
import com.iotorq.lean.gateway.tenant.TenantAttributes;

/**
 * Records every completed sign-in attempt in the sign-in audit: success, or the precise
 * reason it failed as {@link SignInFailures} classified it (which ID token check, which
 * provider error code, no account, disabled, pending, not in an allowed group), with the
 * account and the provider's correlation id when known. Never a token: only identifiers.
 * An audit that cannot be written is logged and does not change the person's outcome.
 */
public final class SignInAuditing {

	private static final Logger logger = LoggerFactory.getLogger(SignInAuditing.class);

	private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(3);

	private final SignInEventRepository events;

	private final IdentityProviders providers;

	private final SignInFailures failures;

	public SignInAuditing(SignInEventRepository events, IdentityProviders providers, SignInFailures failures) {
		this.events = events;
		this.providers = providers;
		this.failures = failures;
	}

	public ServerAuthenticationSuccessHandler success(ServerAuthenticationSuccessHandler next) {
		return (exchange, authentication) -> record(exchange, succeeded(tenant(exchange), authentication))
			.then(next.onAuthenticationSuccess(exchange, authentication));
	}

	public ServerAuthenticationFailureHandler failure(ServerAuthenticationFailureHandler next) {
		return (exchange, failure) -> record(exchange, this.failures.classify(exchange, failure).auditEvent())
			.then(next.onAuthenticationFailure(exchange, failure));
	}

	private Mono<Void> record(WebFilterExchange exchange, SignInEvent event) {
		Tenant tenant = tenant(exchange);
		if (tenant == null) {
			return Mono.empty();
		}
		return this.events.record(tenant.id(), event)
			.timeout(WRITE_TIMEOUT)
			.onErrorResume(
					ex -> RequestLogContext.log(() -> logger.warn("Could not record a sign-in attempt of {} ({}): {}",
							tenant.slug(), event.reason(), ex.toString())));
	}

	private SignInEvent succeeded(@Nullable Tenant tenant, Authentication authentication) {
		if (!(authentication.getPrincipal() instanceof LeanUser user)) {
			return SignInEvent.succeededWithoutAccount();
		}
		String tokenId = (tenant != null && tenant.hasSso()) ? this.providers.find(tenant.requiredSso().provider())
			.flatMap(provider -> provider.tokenId(user))
			.orElse(null) : null;
		return SignInEvent.succeeded(user.accountId(), user.email(), user.idpObjectId(), tokenId);
	}

	private static @Nullable Tenant tenant(WebFilterExchange exchange) {
		return TenantAttributes.tenant(exchange.getExchange()).orElse(null);
	}

}
