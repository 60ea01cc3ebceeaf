package com.iotorq.lean.gateway.onboarding;

import java.time.LocalDate;
import java.util.UUID;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;

/**
 * Expiry dates of organisations' client secrets, and which warnings about them were
 * logged.
 */
@Repository
public class SecretExpiryRepository {

	private final DatabaseClient db;

	public SecretExpiryRepository(DatabaseClient db) {
		this.db = db;
	}

	/**
	 * Every organisation whose secret has a known expiry, soonest first; not those that
	 * sign in with a certificate, whose secret (if any) is not in use.
	 */
	public Flux<SecretExpiry> all() {
		return this.db.sql("""
				SELECT t.id, t.slug, s.client_secret_expires_at
				  FROM sso_settings s JOIN tenant t ON t.id = s.tenant_id
				 WHERE s.client_secret_expires_at IS NOT NULL AND s.credential_type = 'client_secret'
				 ORDER BY s.client_secret_expires_at, t.slug""")
			.map(row -> new SecretExpiry(row.get("id", UUID.class), row.get("slug", String.class),
					row.get("client_secret_expires_at", LocalDate.class)))
			.all();
	}

	/**
	 * Organisations whose secret expires on {@code until} or earlier (expired ones
	 * included), soonest first; not those that sign in with a certificate.
	 */
	public Flux<SecretExpiry> expiringBy(LocalDate until) {
		return this.db.sql("""
				SELECT t.id, t.slug, s.client_secret_expires_at
				  FROM sso_settings s JOIN tenant t ON t.id = s.tenant_id
				 WHERE s.client_secret_expires_at <= $1 AND s.credential_type = 'client_secret'
				 ORDER BY s.client_secret_expires_at, t.slug""")
			.bind(0, until)
			.map(row -> new SecretExpiry(row.get("id", UUID.class), row.get("slug", String.class),
					row.get("client_secret_expires_at", LocalDate.class)))
			.all();
	}

	/**
	 * Claims the warning for this threshold of this secret. Only one caller, on any
	 * replica, ever gets {@code true}: the primary key makes the second insert a no-op.
	 */
	public Mono<Boolean> claimWarning(UUID tenantId, LocalDate expiresAt, int thresholdDays) {
		return this.db.sql("""
				INSERT INTO sso_secret_expiry_warning (tenant_id, expires_at, threshold_days) VALUES ($1, $2, $3)
				ON CONFLICT DO NOTHING""")
			.bind(0, tenantId)
			.bind(1, expiresAt)
			.bind(2, thresholdDays)
			.fetch()
			.rowsUpdated()
			.map(rows -> rows > 0);
	}

	/**
	 * @param tenantId the organisation
	 * @param slug its subdomain
	 * @param expiresAt the day its client secret expires
	 */
	public record SecretExpiry(UUID tenantId, String slug, LocalDate expiresAt) {
	}

}
