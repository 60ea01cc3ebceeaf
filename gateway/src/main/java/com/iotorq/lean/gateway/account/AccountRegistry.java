package com.iotorq.lean.gateway.account;

import java.time.Instant;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;

import com.iotorq.lean.gateway.audit.AuditLog;
import com.iotorq.lean.gateway.tenant.Tenant;

/**
 * Changes accounts through the admin API; each change and its audit row are one
 * transaction.
 */
@Service
public class AccountRegistry {

	private final AccountRepository accounts;

	private final AuditLog audit;

	private final TransactionalOperator transaction;

	private final LinkedDirectories directories;

	public AccountRegistry(AccountRepository accounts, AuditLog audit, TransactionalOperator transaction,
			LinkedDirectories directories) {
		this.accounts = accounts;
		this.audit = audit;
		this.transaction = transaction;
		this.directories = directories;
	}

	/** Creates or updates the account with this email in the organisation. */
	public Mono<Saved> save(String actor, Tenant tenant, String email, @Nullable String displayName,
			Account.Status status) {
		return save(actor, tenant, email, displayName, status, null);
	}

	/**
	 * Creates or updates the account with this email in the organisation and, when
	 * {@code objectId} is given, binds it in advance to that person of the organisation's
	 * directory: their first sign-in links it whatever their email.
	 * @param objectId the person's immutable id in the organisation's directory, lower
	 * case
	 * @throws LinkConflict (as the error of the result) when another account is bound to
	 * that identity, or this one to another; nothing is changed then
	 */
	public Mono<Saved> save(String actor, Tenant tenant, String email, @Nullable String displayName,
			Account.Status status, @Nullable String objectId) {
		Mono<Saved> change = this.accounts.findByEmail(tenant.id(), email)
			.flatMap(before -> this.accounts
				.update(before.id(), (displayName != null) ? displayName : before.displayName(), status)
				.flatMap(updated -> bind(tenant, updated, objectId))
				.flatMap(after -> this.audit
					.record(actor, "account.updated", tenant.slug(), after.email(), view(before), view(after))
					.thenReturn(new Saved(after, false))))
			.switchIfEmpty(Mono.defer(() -> this.accounts.insert(tenant.id(), email, displayName, status)
				.flatMap(inserted -> bind(tenant, inserted, objectId))
				.flatMap(created -> this.audit
					.record(actor, "account.created", tenant.slug(), created.email(), null, view(created))
					.thenReturn(new Saved(created, true)))));
		return this.transaction.transactional(change);
	}

	private Mono<Account> bind(Tenant tenant, Account account, @Nullable String objectId) {
		if (objectId == null) {
			return Mono.just(account);
		}
		String directoryId = directoryId(tenant);
		if (account.isLinked()
				&& !(directoryId.equals(account.idpDirectoryId()) && objectId.equals(account.idpObjectId()))) {
			return Mono.error(new LinkConflict("The account '" + account.email() + "' is linked to another identity: "
					+ "remove that link first (DELETE /admin/tenants/" + tenant.slug() + "/users/" + account.email()
					+ "/link)."));
		}
		return this.accounts.findByIdentity(tenant.id(), directoryId, objectId)
			.filter(other -> !other.id().equals(account.id()))
			.flatMap(other -> Mono.<Account>error(new LinkConflict("The Entra object id " + objectId
					+ " is already bound to another account, '" + other.email() + "': remove that link first.")))
			.switchIfEmpty(Mono.defer(() -> this.accounts.bind(account.id(), directoryId, objectId)))
			.onErrorMap(DuplicateKeyException.class, ex -> new LinkConflict(
					"The Entra object id " + objectId + " is already bound to another account."));
	}

	/**
	 * Removes the account's link to its identity, so that a person re-created in the
	 * directory (a new object id) can link it at their next sign-in. Its unused
	 * activation links stop working, as they were sent for the old identity. The link,
	 * the links and the audit row change together or not at all. Audited when there was a
	 * link.
	 * @return the account as written, empty when there is no account with this email
	 */
	public Mono<Account> unlink(String actor, Tenant tenant, String email) {
		Mono<Account> change = this.accounts.findByEmail(tenant.id(), email)
			.flatMap(before -> !before.isLinked() ? Mono.just(before)
					: this.accounts.unlink(before.id())
						.flatMap(after -> this.accounts.revokeActivationLinks(after.id()).thenReturn(after))
						.flatMap(after -> this.audit
							.record(actor, "account.unlinked", tenant.slug(), after.email(), view(before), view(after))
							.thenReturn(after)));
		return this.transaction.transactional(change);
	}

	/** The directory the organisation signs in with, as sign-ins record it. */
	private String directoryId(Tenant tenant) {
		if (tenant.sso() == null) {
			throw new LinkConflict("The organisation '" + tenant.slug() + "' has no single sign-on settings, so an "
					+ "account cannot be bound to one of its directory's people yet.");
		}
		return this.directories.linkedDirectory(tenant.sso());
	}

	private static AccountAudit view(Account account) {
		return new AccountAudit(account.id(), account.email(), account.displayName(), account.status(),
				account.isLinked(), account.idpObjectId(), account.lastSignInAt());
	}

	/**
	 * @param account the account as written
	 * @param created whether it is new
	 */
	public record Saved(Account account, boolean created) {
	}

	/** The audited state of an account. */
	record AccountAudit(UUID id, String email, @Nullable String displayName, Account.Status status, boolean linked,
			@Nullable String entraObjectId, @Nullable Instant lastSignInAt) {
	}

	/**
	 * A binding that would give one identity two accounts, or one account two identities.
	 */
	public static final class LinkConflict extends RuntimeException {

		LinkConflict(String message) {
			super(message, null, false, false);
		}

	}

}
