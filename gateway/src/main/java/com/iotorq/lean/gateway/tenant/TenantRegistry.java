package com.iotorq.lean.gateway.tenant;

import java.net.URI;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;

import com.iotorq.lean.gateway.audit.AuditLog;

/**
 * Changes organisations: each change, its audit row and the notification to every replica
 * are one transaction; this replica's cache is updated as soon as it commits.
 */
@Service
public class TenantRegistry {

	private final TenantRepository tenants;

	private final AuditLog audit;

	private final TenantChangeNotifier notifier;

	private final TenantDirectory directory;

	private final TransactionalOperator transaction;

	public TenantRegistry(TenantRepository tenants, AuditLog audit, TenantChangeNotifier notifier,
			TenantDirectory directory, TransactionalOperator transaction) {
		this.tenants = tenants;
		this.audit = audit;
		this.notifier = notifier;
		this.directory = directory;
		this.transaction = transaction;
	}

	/** Creates or updates the organisation at {@code slug}. */
	public Mono<TenantRepository.Written> save(String actor, String slug, String displayName,
			@Nullable URI backendUri) {
		Mono<TenantRepository.Written> change = this.tenants.findBySlugForUpdate(slug)
			.map(TenantRegistry::auditView)
			.defaultIfEmpty(NONE)
			.flatMap(before -> this.tenants.upsert(slug, displayName, backendUri)
				.flatMap(written -> this.audit
					.record(actor, written.created() ? "tenant.created" : "tenant.updated", slug, null,
							(before == NONE) ? null : before, auditView(written.tenant()))
					.then(this.notifier.changed(slug))
					.thenReturn(written)));
		return this.transaction.transactional(change).doOnSuccess(written -> this.directory.evict(slug));
	}

	/** @return whether an organisation was deleted */
	public Mono<Boolean> delete(String actor, String slug) {
		Mono<Boolean> change = this.tenants.findBySlugForUpdate(slug)
			.flatMap(before -> this.tenants.delete(slug)
				.then(this.audit.record(actor, "tenant.deleted", slug, null, auditView(before), null))
				.then(this.notifier.changed(slug))
				.thenReturn(true))
			.defaultIfEmpty(false);
		return this.transaction.transactional(change).doOnSuccess(deleted -> this.directory.evict(slug));
	}

	private static final TenantAudit NONE = new TenantAudit(null, null, null);

	private static TenantAudit auditView(Tenant tenant) {
		return new TenantAudit(tenant.slug(), tenant.displayName(),
				(tenant.backendUri() != null) ? tenant.backendUri().toString() : null);
	}

	/** The audited state of a tenant. */
	record TenantAudit(@Nullable String slug, @Nullable String displayName, @Nullable String backendUri) {
	}

}
