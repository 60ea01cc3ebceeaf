package com.iotorq.lean.gateway.onboarding;

import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.r2dbc.postgresql.codec.Json;
import io.r2dbc.spi.Readable;
import reactor.core.publisher.Mono;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;

/**
 * The last verification of each organisation's SSO credentials. Removed with the SSO
 * settings.
 */
@Repository
public class SsoVerificationRepository {

	private static final TypeReference<List<SsoVerification.Check>> CHECKS = new TypeReference<>() {
	};

	private final DatabaseClient db;

	private final JsonMapper json;

	public SsoVerificationRepository(DatabaseClient db, JsonMapper json) {
		this.db = db;
		this.json = json;
	}

	/**
	 * Stores the verification, unless the SSO settings it checked were removed meanwhile.
	 */
	public Mono<Void> save(UUID tenantId, SsoVerification verification) {
		return this.db.sql("""
				INSERT INTO sso_verification (tenant_id, verified_at, ok, settings_updated_at, checks)
				SELECT $1, $2, $3, $4, $5 WHERE EXISTS (SELECT 1 FROM sso_settings WHERE tenant_id = $1)
				ON CONFLICT (tenant_id) DO UPDATE
				  SET verified_at = EXCLUDED.verified_at, ok = EXCLUDED.ok,
				      settings_updated_at = EXCLUDED.settings_updated_at, checks = EXCLUDED.checks""")
			.bind(0, tenantId)
			.bind(1, verification.verifiedAt())
			.bind(2, verification.ok())
			.bind(3, verification.settingsUpdatedAt())
			.bind(4, Json.of(this.json.writeValueAsString(verification.checks())))
			.then();
	}

	public Mono<SsoVerification> find(UUID tenantId) {
		return this.db
			.sql("SELECT verified_at, ok, settings_updated_at, checks FROM sso_verification WHERE tenant_id = $1")
			.bind(0, tenantId)
			.map(this::verification)
			.one();
	}

	/**
	 * The last verifications of these organisations, by tenant id: one query for a page
	 * of a listing.
	 */
	public Mono<Map<UUID, SsoVerification>> findAll(Collection<UUID> tenantIds) {
		if (tenantIds.isEmpty()) {
			return Mono.just(Map.of());
		}
		return this.db.sql("""
				SELECT tenant_id, verified_at, ok, settings_updated_at, checks FROM sso_verification
				WHERE tenant_id = ANY($1)""")
			.bind(0, tenantIds.toArray(UUID[]::new))
			.map(row -> Map.entry(row.get("tenant_id", UUID.class), verification(row)))
			.all()
			.collectMap(Map.Entry::getKey, Map.Entry::getValue);
	}

	private SsoVerification verification(Readable row) {
		return new SsoVerification(row.get("verified_at", OffsetDateTime.class).toInstant(),
				Boolean.TRUE.equals(row.get("ok", Boolean.class)),
				row.get("settings_updated_at", OffsetDateTime.class).toInstant(),
				this.json.readValue(row.get("checks", Json.class).asString(), CHECKS));
	}

}
