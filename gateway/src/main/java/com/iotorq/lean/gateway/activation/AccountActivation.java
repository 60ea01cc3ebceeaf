package com.iotorq.lean.gateway.activation;

import java.io.Serial;
import java.io.Serializable;
import java.time.Duration;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.web.server.ServerWebExchange;

import com.iotorq.lean.gateway.audit.AuditLog;
import com.iotorq.lean.gateway.config.GatewayProperties;
import com.iotorq.lean.gateway.tenant.Tenant;
import com.iotorq.lean.gateway.web.GatewayPaths;
import com.iotorq.lean.gateway.observability.RequestLogContext;

/**
 * Activation of pending accounts: sending the link (rate-limited per account), and using
 * it. The link is built from the organisation's own host as the person reached it, with
 * the public scheme ({@code lean.gateway.public-scheme}).
 */
public final class AccountActivation {

	private static final Logger logger = LoggerFactory.getLogger(AccountActivation.class);

	/**
	 * Session attribute: the pending account of the person who just signed in, for "send
	 * again".
	 */
	static final String SESSION_ATTRIBUTE = AccountActivation.class.getName() + ".pending";

	private final ActivationTokens tokens;

	private final ActivationMail mail;

	private final ActivationProperties properties;

	private final AuditLog audit;

	private final String publicScheme;

	public AccountActivation(ActivationTokens tokens, ActivationMail mail, ActivationProperties properties,
			AuditLog audit, GatewayProperties gateway) {
		this.tokens = tokens;
		this.mail = mail;
		this.properties = properties;
		this.audit = audit;
		this.publicScheme = gateway.publicScheme();
	}

	/**
	 * Sends a new activation link to the pending account, unless one went out within the
	 * resend interval.
	 * @return what happened, with the address it went to, masked
	 */
	public Mono<Sent> send(ServerWebExchange exchange, Tenant tenant, UUID accountId) {
		if (!this.mail.configured()) {
			RequestLogContext.log(exchange, () -> logger.error("Cannot send the activation mail for an account of {}: "
					+ "no SMTP server is configured (spring.mail.host)", tenant.slug()));
			return Mono.just(new Sent(Sent.Outcome.FAILED, null));
		}
		return this.tokens.claimSend(accountId, this.properties.activationResendInterval())
			.flatMap(email -> this.tokens.issue(accountId, this.properties.activationTtl())
				.flatMap(token -> this.mail.send(email, tenant.displayName(), link(exchange, token),
						words(this.properties.activationTtl())))
				.then(RequestLogContext
					.log(() -> logger.info("Sent an activation mail for account {} of {}", accountId, tenant.slug())))
				.thenReturn(new Sent(Sent.Outcome.SENT, EmailMask.mask(email)))
				.onErrorResume(ex -> RequestLogContext
					.log(() -> logger.error("Could not send the activation mail for account {} of {}: {}", accountId,
							tenant.slug(), ex.toString()))
					.then(this.tokens.releaseSend(accountId))
					.thenReturn(new Sent(Sent.Outcome.FAILED, EmailMask.mask(email)))))
			.switchIfEmpty(Mono.defer(() -> Mono.just(new Sent(Sent.Outcome.RECENTLY_SENT, null))));
	}

	/**
	 * The state of a link, for the page shown before activating; empty when unknown here.
	 */
	public Mono<ActivationTokens.Link> inspect(Tenant tenant, String token) {
		return this.tokens.find(token, tenant.id());
	}

	/**
	 * Uses the link of the account whose bound identity signed in in this session: the
	 * account becomes active, and the change is audited.
	 * @return empty when the link is not usable, or not this account's
	 */
	public Mono<ActivationTokens.Activated> activate(Tenant tenant, String token, UUID accountId) {
		return audited(tenant, this.tokens.consume(token, tenant.id(), accountId));
	}

	/**
	 * Completes a link opened before its person signed in, once their sign-in proved them
	 * the bound identity.
	 */
	Mono<ActivationTokens.Activated> activate(Tenant tenant, ActivationRequest request) {
		return audited(tenant, this.tokens.consumeHashed(request.tokenHash(), tenant.id(), request.accountId()));
	}

	private Mono<ActivationTokens.Activated> audited(Tenant tenant, Mono<ActivationTokens.Activated> consumed) {
		return consumed
			.flatMap(
					activated -> this.audit
						.record("activation-link", "account.activated", tenant.slug(), activated.email(), null,
								new ActivatedAudit(activated.accountId(), "ACTIVE"))
						.thenReturn(activated))
			.flatMap(activated -> RequestLogContext.log(
					() -> logger.info("Account {} of {} activated through its link " + "by the identity it is bound to",
							activated.accountId(), tenant.slug()))
				.thenReturn(activated));
	}

	/**
	 * After an administrator activated or disabled the account, its links must not work
	 * any more.
	 */
	public Mono<Void> revokeLinks(UUID accountId) {
		return this.tokens.revokeAll(accountId);
	}

	Duration resendInterval() {
		return this.properties.activationResendInterval();
	}

	String validity() {
		return words(this.properties.activationTtl());
	}

	private String link(ServerWebExchange exchange, String token) {
		// the host was checked by tenant resolution to be this organisation's own
		var uri = exchange.getRequest().getURI();
		String authority = uri.getHost() + ((uri.getPort() != -1) ? ":" + uri.getPort() : "");
		return this.publicScheme + "://" + authority + GatewayPaths.ACCOUNT_ACTIVATE + "?token=" + token;
	}

	static String words(Duration duration) {
		if (duration.toMinutes() % 60 != 0 || duration.toHours() == 0) {
			return duration.toMinutes() + " minutes";
		}
		long hours = duration.toHours();
		return hours + ((hours == 1) ? " hour" : " hours");
	}

	/**
	 * @param outcome whether the mail went out
	 * @param maskedEmail where it went, partly hidden; {@code null} when not known here
	 */
	public record Sent(Outcome outcome, @org.jspecify.annotations.Nullable String maskedEmail) {

		public enum Outcome {

			SENT, RECENTLY_SENT, FAILED

		}

	}

	/**
	 * Which pending account this session's person is, set when their sign-in was refused
	 * for it.
	 */
	record PendingAccount(String tenantSlug, UUID accountId, String maskedEmail) implements Serializable {

		@Serial
		private static final long serialVersionUID = 1L;

	}

	record ActivatedAudit(UUID id, String status) {
	}

}
