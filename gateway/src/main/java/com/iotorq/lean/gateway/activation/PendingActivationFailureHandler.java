package com.iotorq.lean.gateway.activation;

import reactor.core.publisher.Mono;

import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.server.WebFilterExchange;
import org.springframework.security.web.server.authentication.ServerAuthenticationFailureHandler;

import com.iotorq.lean.gateway.account.SignInRefusedException;
import com.iotorq.lean.gateway.tenant.Tenant;
import com.iotorq.lean.gateway.tenant.TenantAttributes;
import com.iotorq.lean.gateway.web.ErrorCode;

/**
 * When a sign-in is refused because the account is still pending (just created by
 * PENDING_ACTIVATION provisioning, or created so by an administrator), sends the activation
 * mail (at most once per resend interval) and shows where it went, with a button to send it
 * again. Every other refusal goes to the next handler.
 */
public final class PendingActivationFailureHandler implements ServerAuthenticationFailureHandler {

	private final AccountActivation activation;

	private final ServerAuthenticationFailureHandler next;

	public PendingActivationFailureHandler(AccountActivation activation, ServerAuthenticationFailureHandler next) {
		this.activation = activation;
		this.next = next;
	}

	@Override
	public Mono<Void> onAuthenticationFailure(WebFilterExchange webFilterExchange, AuthenticationException failure) {
		var exchange = webFilterExchange.getExchange();
		Tenant tenant = TenantAttributes.tenant(exchange).orElse(null);
		if (!(failure instanceof SignInRefusedException refused) || refused.reason() != ErrorCode.ACCOUNT_PENDING
				|| refused.accountId() == null || refused.email() == null || tenant == null) {
			return this.next.onAuthenticationFailure(webFilterExchange, failure);
		}
		String masked = EmailMask.mask(refused.email());
		var pending = new AccountActivation.PendingAccount(tenant.slug(), refused.accountId(), masked);
		return exchange.getSession()
			.doOnNext(session -> session.getAttributes().put(AccountActivation.SESSION_ATTRIBUTE, pending))
			.then(this.activation.send(exchange, tenant, refused.accountId()))
			.flatMap(sent -> ActivationPages.sent(exchange, tenant, sent,
					(sent.maskedEmail() != null) ? sent.maskedEmail() : masked, this.activation.validity(),
					this.activation.resendInterval(), false));
	}

}
