package com.iotorq.lean.gateway.account;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;

import com.iotorq.lean.gateway.tenant.SsoSettings;
import com.iotorq.lean.gateway.tenant.Tenant;
import com.iotorq.lean.gateway.web.ErrorCode;
import com.iotorq.lean.gateway.observability.RequestLogContext;

/**
 * Finds the LEAN account of someone the identity provider signed in:
 * <ol>
 * <li>the account linked to their identity (Entra {@code tid} + {@code oid});</li>
 * <li>else the account with their email, which is then linked to the identity (the help
 * article: the LEAN email must be the same as the Entra one), but only when the directory
 * vouches for that email ({@link SignInIdentity#emailVerified()}): a user name that a
 * directory administrator can set to anyone's address never takes over an account;</li>
 * <li>else as the organisation's provisioning policy says; a new account is bound to the
 * identity that created it, also while it waits for activation.</li>
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
	 * @return the active account, or {@link SignInRefusedException} saying why there is
	 * none
	 */
	public Mono<Account> signIn(Tenant tenant, SignInIdentity identity) {
		// most sign-ins are of an active, linked account: one statement finds and records
		// it
		return this.accounts
			.recordSignInOfLinked(tenant.id(), identity.directoryId(), identity.objectId(), identity.displayName())
			.switchIfEmpty(Mono.defer(() -> find(tenant, identity, Mono.defer(() -> provision(tenant, identity)))
				.flatMap(account -> admit(tenant, identity, account))));
	}

	/** The linked account, else the one with a vouched-for email, else {@code none}. */
	private Mono<Account> find(Tenant tenant, SignInIdentity identity, Mono<Account> none) {
		return this.accounts.findByIdentity(tenant.id(), identity.directoryId(), identity.objectId())
			.switchIfEmpty(Mono.defer(() -> (identity.email() == null) ? none
					: this.accounts.findByEmail(tenant.id(), identity.email())
						.flatMap(account -> byEmail(tenant, identity, account))
						.switchIfEmpty(none)));
	}

	private Mono<Account> byEmail(Tenant tenant, SignInIdentity identity, Account account) {
		if (account.isLinked()) {
			// the email now belongs to someone else in the directory; never hand the
			// account over
			return refuse(tenant, identity, account, "the account with this email is linked to another identity");
		}
		if (!identity.emailVerified()) {
			return refuse(tenant, identity, account, "the directory does not vouch for the email of the account");
		}
		return RequestLogContext
			.log(() -> logger.info("Linking account {} of {} to its identity at first sign-in", account.id(),
					tenant.slug()))
			.thenReturn(account);
	}

	/**
	 * Lets an active account in, linking it; binds a pending one to this identity (only
	 * it can complete the activation) and refuses; refuses a disabled one.
	 */
	private Mono<Account> admit(Tenant tenant, SignInIdentity identity, Account account) {
		return switch (account.status()) {
			case ACTIVE -> this.accounts
				.recordSignIn(account.id(), identity.directoryId(), identity.objectId(), identity.displayName())
				.switchIfEmpty(Mono
					.defer(() -> refuse(tenant, identity, account, "the account is linked to another identity")));
			case PENDING_ACTIVATION -> this.accounts.bind(account.id(), identity.directoryId(), identity.objectId())
				.switchIfEmpty(Mono
					.defer(() -> refuse(tenant, identity, account, "the account is linked to another identity")))
				.flatMap(bound -> Mono.error(SignInRefusedException.forAccount(ErrorCode.ACCOUNT_PENDING, bound)));
			case DISABLED -> Mono.error(SignInRefusedException.forAccount(ErrorCode.ACCOUNT_DISABLED, account));
		};
	}

	private static Mono<Account> refuse(Tenant tenant, SignInIdentity identity, Account account, String why) {
		return RequestLogContext
			.log(() -> logger.warn("Sign-in to {} refused for account {}: {}", tenant.slug(), account.id(), why))
			.then(Mono.error(() -> new SignInRefusedException(ErrorCode.ACCOUNT_NOT_FOUND, account.id(),
					identity.email(), why, null)));
	}

	/**
	 * No account matched: AUTO_ACTIVATE creates an active one; PENDING_ACTIVATION creates
	 * one that must be activated first (the refusal that follows makes the sign-in
	 * failure handler send the activation mail); EXISTING_ONLY refuses. The new account
	 * is bound to this identity.
	 * <p>
	 * An email the directory does not vouch for (a guest's user name,
	 * {@code xms_edov: false}) never names an active account at once, whatever the
	 * policy: such an account waits for activation like under PENDING_ACTIVATION, so the
	 * mail proves the address before the gateway sends it to backends, and only this
	 * identity can complete it. (Refusing instead would leave guests of an AUTO_ACTIVATE
	 * organisation waiting for an administrator.)
	 * <p>
	 * When the email is taken meanwhile (another replica, a double submit), the lookup
	 * runs once more and its rules apply; it never falls back to the email alone.
	 */
	private Mono<Account> provision(Tenant tenant, SignInIdentity identity) {
		SsoSettings.Provisioning policy = tenant.requiredSso().provisioning();
		if (policy == SsoSettings.Provisioning.EXISTING_ONLY || identity.email() == null) {
			return RequestLogContext
				.log(() -> logger.info("Sign-in to {} refused: no account for this person (provisioning {})",
						tenant.slug(), policy))
				.then(Mono.error(new SignInRefusedException(ErrorCode.ACCOUNT_NOT_FOUND, null, identity.email(),
						(identity.email() == null) ? "the ID token carries no email address" : "provisioning " + policy,
						null)));
		}
		boolean active = policy == SsoSettings.Provisioning.AUTO_ACTIVATE && identity.emailVerified();
		Account.Status status = active ? Account.Status.ACTIVE : Account.Status.PENDING_ACTIVATION;
		return RequestLogContext
			.log(() -> logger.info("Creating a{} account in {} at first sign-in (provisioning {}{})",
					active ? "n active" : " pending", tenant.slug(), policy,
					(policy == SsoSettings.Provisioning.AUTO_ACTIVATE && !active)
							? ", but the directory does not vouch for the email, so it is activated by mail" : ""))
			.then(this.accounts.insert(tenant.id(), identity.email(), identity.displayName(), status,
					identity.directoryId(), identity.objectId()))
			.onErrorResume(DuplicateKeyException.class,
					ex -> find(tenant, identity,
							Mono.error(() -> new SignInRefusedException(ErrorCode.ACCOUNT_NOT_FOUND, null,
									identity.email(), "an account with this email was created meanwhile", null))));
	}

}
