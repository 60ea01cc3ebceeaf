package com.iotorq.lean.gateway.activation;

import java.net.URI;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import reactor.core.publisher.Mono;

import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.server.DefaultServerRedirectStrategy;
import org.springframework.security.web.server.ServerRedirectStrategy;
import org.springframework.security.web.server.WebFilterExchange;
import org.springframework.security.web.server.authentication.ServerAuthenticationFailureHandler;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebSession;

import com.iotorq.lean.gateway.account.SignInRefusedException;
import com.iotorq.lean.gateway.tenant.Tenant;
import com.iotorq.lean.gateway.tenant.TenantAttributes;
import com.iotorq.lean.gateway.web.ErrorCode;
import com.iotorq.lean.gateway.web.GatewayPaths;

/**
 * When a sign-in is refused because the account is still pending (just created by
 * PENDING_ACTIVATION provisioning, or created so by an administrator), the person who
 * signed in is the identity that account is bound to. Then:
 * <ul>
 * <li>if they opened its activation link before signing in ({@link ActivationRequest}),
 * the link is used now and they are sent to sign in once more, which lets them in (their
 * provider session makes that a pair of redirects);</li>
 * <li>otherwise the activation mail is sent (at most once per resend interval) and a page
 * shows where it went, with a button to send it again.</li>
 * </ul>
 * A sign-in for an activation link that turns out to be someone else's account (or no
 * account) shows that the link is someone else's, and the account stays pending. Every
 * other refusal goes to the next handler.
 */
public final class PendingActivationFailureHandler implements ServerAuthenticationFailureHandler {

	/** Refusals that name who signed in: another account, or none, than the link's. */
	private static final Set<ErrorCode> ACCOUNT_REFUSALS = Set.of(ErrorCode.ACCOUNT_PENDING,
			ErrorCode.ACCOUNT_NOT_FOUND, ErrorCode.ACCOUNT_DISABLED);

	private final ServerRedirectStrategy redirects = new DefaultServerRedirectStrategy();

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
		if (tenant == null) {
			return this.next.onAuthenticationFailure(webFilterExchange, failure);
		}
		return exchange.getSession().flatMap(session -> {
			Optional<ActivationRequest> request = ActivationRequest.takeFrom(session.getAttributes(), tenant);
			SignInRefusedException refused = (failure instanceof SignInRefusedException refusal) ? refusal : null;
			if (request.isPresent() && refused != null && ACCOUNT_REFUSALS.contains(refused.reason())) {
				return complete(webFilterExchange, tenant, request.get(), refused, failure);
			}
			if (refused == null || refused.reason() != ErrorCode.ACCOUNT_PENDING || refused.accountId() == null
					|| refused.email() == null) {
				return this.next.onAuthenticationFailure(webFilterExchange, failure);
			}
			return mail(exchange, session, tenant, refused.accountId(), refused.email());
		});
	}

	/**
	 * The sign-in that followed an opened activation link: completes it only for the
	 * account's own identity.
	 */
	private Mono<Void> complete(WebFilterExchange webFilterExchange, Tenant tenant, ActivationRequest request,
			SignInRefusedException refused, AuthenticationException failure) {
		var exchange = webFilterExchange.getExchange();
		// NOT_FOUND names the account too when it refused to hand it to this identity:
		// only PENDING proves the binding
		boolean linksAccount = request.accountId().equals(refused.accountId())
				&& refused.reason() != ErrorCode.ACCOUNT_NOT_FOUND;
		if (!linksAccount) {
			return ActivationPages.someoneElsesLink(exchange);
		}
		if (refused.reason() != ErrorCode.ACCOUNT_PENDING) {
			return this.next.onAuthenticationFailure(webFilterExchange, failure); // their
																					// own
																					// account,
																					// disabled
																					// meanwhile
		}
		return ActivationPages.either(this.activation.activate(tenant, request),
				activated -> this.redirects.sendRedirect(exchange, URI.create(GatewayPaths.LOGIN)),
				() -> ActivationPages.invalidLink(exchange));
	}

	private Mono<Void> mail(ServerWebExchange exchange, WebSession session, Tenant tenant, UUID accountId,
			String email) {
		String masked = EmailMask.mask(email);
		var pending = new AccountActivation.PendingAccount(tenant.slug(), accountId, masked);
		session.getAttributes().put(AccountActivation.SESSION_ATTRIBUTE, pending);
		return this.activation.send(exchange, tenant, accountId)
			.flatMap(sent -> ActivationPages.sent(exchange, tenant, sent,
					(sent.maskedEmail() != null) ? sent.maskedEmail() : masked, this.activation.validity(),
					this.activation.resendInterval(), false));
	}

}
