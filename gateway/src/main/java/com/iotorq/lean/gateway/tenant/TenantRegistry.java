package com.iotorq.lean.gateway.tenant;

import java.net.URI;
import java.util.Optional;
import java.util.function.Function;

import com.fasterxml.jackson.annotation.JsonInclude;
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

	private final SsoSettingsRepository ssoSettings;

	public TenantRegistry(TenantRepository tenants, SsoSettingsRepository ssoSettings, AuditLog audit,
			TenantChangeNotifier notifier, TenantDirectory directory, TransactionalOperator transaction) {
		this.tenants = tenants;
		this.ssoSettings = ssoSettings;
		this.audit = audit;
		this.notifier = notifier;
		this.directory = directory;
		this.transaction = transaction;
	}

	/**
	 * Creates or updates the organisation at {@code slug}, with the default request rate
	 * limit.
	 */
	public Mono<TenantRepository.Written> save(String actor, String slug, String displayName,
			@Nullable URI backendUri) {
		return save(actor, slug, displayName, backendUri, null);
	}

	/**
	 * Creates or updates the organisation at {@code slug}, keeping its technical contact.
	 * @param requestsPerSecond its own request rate limit, {@code null} for the default
	 */
	public Mono<TenantRepository.Written> save(String actor, String slug, String displayName, @Nullable URI backendUri,
			@Nullable Integer requestsPerSecond) {
		return save(actor, slug, displayName, backendUri, requestsPerSecond,
				existing -> (existing != null) ? existing.technicalContactEmail() : null);
	}

	/**
	 * Creates or updates the organisation at {@code slug}.
	 * @param requestsPerSecond its own request rate limit, {@code null} for the default
	 * @param technicalContactEmail whom to mail about expiring SSO credentials,
	 * {@code null} for nobody
	 */
	public Mono<TenantRepository.Written> save(String actor, String slug, String displayName, @Nullable URI backendUri,
			@Nullable Integer requestsPerSecond, @Nullable String technicalContactEmail) {
		return save(actor, slug, displayName, backendUri, requestsPerSecond, existing -> technicalContactEmail);
	}

	private Mono<TenantRepository.Written> save(String actor, String slug, String displayName, @Nullable URI backendUri,
			@Nullable Integer requestsPerSecond, Function<@Nullable Tenant, @Nullable String> technicalContact) {
		Mono<TenantRepository.Written> change = this.tenants.findBySlugForUpdate(slug)
			.map(Optional::of)
			.defaultIfEmpty(Optional.empty())
			.flatMap(before -> this.tenants
				.upsert(slug, displayName, backendUri, requestsPerSecond, technicalContact.apply(before.orElse(null)))
				.flatMap(written -> this.audit
					.record(actor, written.created() ? "tenant.created" : "tenant.updated", slug, null,
							before.map(TenantRegistry::auditView).orElse(null), auditView(written.tenant()))
					.then(this.notifier.changed(slug))
					.thenReturn(written)));
		return this.transaction.transactional(change).doOnSuccess(written -> this.directory.evict(slug));
	}

	/**
	 * @return whether an organisation was deleted
	 */
	public Mono<Boolean> delete(String actor, String slug) {
		Mono<Boolean> change = this.tenants.findBySlugForUpdate(slug)
			.flatMap(before -> this.tenants.delete(slug)
				.then(this.audit.record(actor, "tenant.deleted", slug, null, auditView(before), null))
				.then(this.notifier.changed(slug))
				.thenReturn(true))
			.defaultIfEmpty(false);
		return this.transaction.transactional(change).doOnSuccess(deleted -> this.directory.evict(slug));
	}

	/**
	 * Sets the organisation's SSO settings.
	 * @param settings complete settings, the secret already sealed for this tenant
	 * @param secretChanged whether a new secret was entered, for the audit log
	 * @return the organisation as written, empty when there is no such organisation
	 */
	public Mono<Tenant> saveSso(String actor, String slug, SsoSettings settings, boolean secretChanged) {
		Mono<Tenant> change = this.tenants.findBySlugForUpdate(slug)
			.flatMap(before -> this.ssoSettings.upsert(before.id(), settings)
				.then(this.tenants.findBySlug(slug))
				.flatMap(after -> this.audit
					.record(actor, (before.sso() == null) ? "sso.enabled" : "sso.updated", slug, null,
							ssoAuditView(before.sso(), false), ssoAuditView(after.sso(), secretChanged))
					.then(this.notifier.changed(slug))
					.thenReturn(after)));
		return this.transaction.transactional(change).doOnSuccess(tenant -> this.directory.evict(slug));
	}

	/**
	 * @return whether SSO was on and is now off; empty when there is no such organisation
	 */
	public Mono<Boolean> deleteSso(String actor, String slug) {
		Mono<Boolean> change = this.tenants.findBySlugForUpdate(slug)
			.flatMap(before -> this.ssoSettings.delete(before.id())
				.flatMap(deleted -> !deleted ? Mono.just(false)
						: this.audit.record(actor, "sso.disabled", slug, null, ssoAuditView(before.sso(), false), null)
							.then(this.notifier.changed(slug))
							.thenReturn(true)));
		return this.transaction.transactional(change).doOnSuccess(deleted -> this.directory.evict(slug));
	}

	private static @Nullable SsoAudit ssoAuditView(@Nullable SsoSettings sso, boolean secretChanged) {
		return (sso == null) ? null
				: new SsoAudit(sso.provider(), sso.directoryId(), sso.clientId(),
						(sso.clientSecret() != null) ? sso.clientSecret().keyId() : null, secretChanged,
						sso.clientSecretExpiresAt(), sso.mode(), sso.provisioning(), sso.allowedGroups(),
						sso.linkByUsername(), sso.credentialType().value(), sso.oidc());
	}

	/** The audited state of SSO settings: never the secret, only which key sealed it. */
	record SsoAudit(String provider, String directoryId, String clientId, @Nullable String clientSecretKeyId,
			boolean clientSecretChanged, java.time.@Nullable LocalDate clientSecretExpiresAt, SsoSettings.Mode mode,
			SsoSettings.Provisioning provisioning, java.util.List<String> allowedGroups, boolean linkByUsername,
			String credentialType, @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable OidcOptions oidc) {
	}

	private static TenantAudit auditView(Tenant tenant) {
		return new TenantAudit(tenant.slug(), tenant.displayName(),
				(tenant.backendUri() != null) ? tenant.backendUri().toString() : null, tenant.requestsPerSecond(),
				tenant.technicalContactEmail());
	}

	/** The audited state of a tenant. */
	record TenantAudit(String slug, String displayName, @Nullable String backendUri,
			@Nullable Integer requestsPerSecond, @Nullable String technicalContactEmail) {
	}

}
