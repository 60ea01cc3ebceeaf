package com.iotorq.lean.gateway.account;

import java.time.Instant;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;

import com.iotorq.lean.gateway.audit.AuditLog;
import com.iotorq.lean.gateway.tenant.Tenant;

/**
 * Changes accounts through the admin API; each change and its audit row are one transaction.
 */
@Service
public class AccountRegistry {

	private final AccountRepository accounts;

	private final AuditLog audit;

	private final TransactionalOperator transaction;

	public AccountRegistry(AccountRepository accounts, AuditLog audit, TransactionalOperator transaction) {
		this.accounts = accounts;
		this.audit = audit;
		this.transaction = transaction;
	}

	/** Creates or updates the account with this email in the organisation. */
	public Mono<Saved> save(String actor, Tenant tenant, String email, @Nullable String displayName,
			Account.Status status) {
		Mono<Saved> change = this.accounts.findByEmail(tenant.id(), email)
			.flatMap(before -> this.accounts.update(before.id(), (displayName != null) ? displayName : before.displayName(), status)
				.flatMap(after -> this.audit
					.record(actor, "account.updated", tenant.slug(), after.email(), view(before), view(after))
					.thenReturn(new Saved(after, false))))
			.switchIfEmpty(Mono.defer(() -> this.accounts.insert(tenant.id(), email, displayName, status)
				.flatMap(created -> this.audit
					.record(actor, "account.created", tenant.slug(), created.email(), null, view(created))
					.thenReturn(new Saved(created, true)))));
		return this.transaction.transactional(change);
	}

	private static AccountAudit view(Account account) {
		return new AccountAudit(account.id(), account.email(), account.displayName(), account.status(),
				account.isLinked(), account.lastSignInAt());
	}

	/**
	 * @param account the account as written
	 * @param created whether it is new
	 */
	public record Saved(Account account, boolean created) {
	}

	/** The audited state of an account. */
	record AccountAudit(UUID id, String email, @Nullable String displayName, Account.Status status, boolean linked,
			@Nullable Instant lastSignInAt) {
	}

}
