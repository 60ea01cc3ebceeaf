package com.iotorq.lean.gateway.account;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;

import com.iotorq.lean.gateway.sso.SignInIdentity;
import com.iotorq.lean.gateway.tenant.SsoSettings;
import com.iotorq.lean.gateway.tenant.Tenant;
import com.iotorq.lean.gateway.web.ErrorCode;
import com.iotorq.lean.gateway.observability.RequestLogContext;

/**
 * Finds the LEAN account of someone the identity provider signed in:
 * <ol>
 * <li>the account linked to their identity (Entra {@code tid} + {@code oid});</li>
 * <li>else the account with their email, which is then linked to the identity (the help
 * article: the LEAN email must be the same as the Entra one);</li>
 * <li>else as the organisation's provisioning policy says.</li>
 * </ol>
 */
@Service
public class AccountSignIn {

	private static final Logger logger = LoggerFactory.getLogger(AccountSignIn.class);

	private final AccountRepository accounts;

	public AccountSignIn(AccountRepository accounts) {
		this.accounts = accounts;
	}

	/**
	 * @return the active account, or {@link SignInRefusedException} saying why there is none
	 */
	public Mono<Account> signIn(Tenant tenant, SignInIdentity identity) {
		return this.accounts.findByIdentity(tenant.id(), identity.directoryId(), identity.objectId())
			.switchIfEmpty(Mono.defer(() -> byEmail(tenant, identity)))
			.flatMap(account -> requireActive(tenant, account))
			.flatMap(account -> this.accounts
				.recordSignIn(account.id(), identity.directoryId(), identity.objectId(), identity.displayName())
				.switchIfEmpty(RequestLogContext
					.log(() -> logger.warn("Sign-in to {} refused: account {} is linked to another identity", tenant.slug(),
							account.id()))
					.then(Mono.error(() -> new SignInRefusedException(ErrorCode.ACCOUNT_NOT_FOUND, account.id(),
							identity.email(), "the account is linked to another identity", null)))));
	}

	private Mono<Account> byEmail(Tenant tenant, SignInIdentity identity) {
		if (identity.email() == null) {
			return provision(tenant, identity);
		}
		return this.accounts.findByEmail(tenant.id(), identity.email())
			.flatMap(account -> {
				if (account.isLinked()) {
					// the email now belongs to someone else in the directory; never hand the account over
					return RequestLogContext
						.log(() -> logger.warn("Sign-in to {} refused: the account with this email is linked to another "
								+ "identity", tenant.slug()))
						.then(Mono.error(new SignInRefusedException(ErrorCode.ACCOUNT_NOT_FOUND, account.id(),
								identity.email(), "the account with this email is linked to another identity", null)));
				}
				return RequestLogContext
					.log(() -> logger.info("Linking account {} of {} to its identity at first sign-in", account.id(),
							tenant.slug()))
					.thenReturn(account);
			})
			.switchIfEmpty(Mono.defer(() -> provision(tenant, identity)));
	}

	/**
	 * No account matched: AUTO_ACTIVATE creates an active one; PENDING_ACTIVATION creates one that
	 * must be activated first (the refusal that follows makes the sign-in failure handler send
	 * the activation mail); EXISTING_ONLY refuses.
	 */
	private Mono<Account> provision(Tenant tenant, SignInIdentity identity) {
		SsoSettings.Provisioning policy = tenant.sso().provisioning();
		if (policy == SsoSettings.Provisioning.EXISTING_ONLY || identity.email() == null) {
			return RequestLogContext
				.log(() -> logger.info("Sign-in to {} refused: no account for this person (provisioning {})", tenant.slug(),
						policy))
				.then(Mono.error(new SignInRefusedException(ErrorCode.ACCOUNT_NOT_FOUND, null, identity.email(),
						(identity.email() == null) ? "the ID token carries no email address" : "provisioning " + policy,
						null)));
		}
		Account.Status status = (policy == SsoSettings.Provisioning.AUTO_ACTIVATE) ? Account.Status.ACTIVE
				: Account.Status.PENDING_ACTIVATION;
		return RequestLogContext
			.log(() -> logger.info("Creating an account in {} at first sign-in (provisioning {})", tenant.slug(), policy))
			.then(this.accounts.insert(tenant.id(), identity.email(), identity.displayName(), status))
			.onErrorResume(DuplicateKeyException.class,
					ex -> this.accounts.findByEmail(tenant.id(), identity.email()));
	}

	private static Mono<Account> requireActive(Tenant tenant, Account account) {
		return switch (account.status()) {
			case ACTIVE -> Mono.just(account);
			case DISABLED -> Mono.error(SignInRefusedException.forAccount(ErrorCode.ACCOUNT_DISABLED, account));
			case PENDING_ACTIVATION -> Mono.error(SignInRefusedException.forAccount(ErrorCode.ACCOUNT_PENDING, account));
		};
	}

}
