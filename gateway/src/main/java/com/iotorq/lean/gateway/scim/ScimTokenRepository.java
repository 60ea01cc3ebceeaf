package com.iotorq.lean.gateway.scim;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.UUID;

import reactor.core.publisher.Mono;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;

/**
 * The organisations' SCIM tokens in PostgreSQL: only their SHA-256, one per organisation.
 */
@Repository
public class ScimTokenRepository {

	private final DatabaseClient db;

	public ScimTokenRepository(DatabaseClient db) {
		this.db = db;
	}

	/** The hash of the organisation's token; empty when SCIM is off for it. */
	public Mono<byte[]> hashOf(UUID tenantId) {
		return this.db.sql("SELECT token_hash FROM scim_token WHERE tenant_id = $1")
			.bind(0, tenantId)
			.map(row -> row.get("token_hash", byte[].class))
			.one();
	}

	/**
	 * Stores the hash of a new token in place of the old one; returns when it was
	 * created.
	 */
	public Mono<Instant> replace(UUID tenantId, byte[] hash) {
		return this.db.sql("""
				INSERT INTO scim_token (tenant_id, token_hash) VALUES ($1, $2)
				ON CONFLICT (tenant_id) DO UPDATE SET token_hash = EXCLUDED.token_hash, created_at = now()
				RETURNING created_at""")
			.bind(0, tenantId)
			.bind(1, hash)
			.map(row -> row.get("created_at", OffsetDateTime.class).toInstant())
			.one();
	}

	/**
	 * @return whether there was a token
	 */
	public Mono<Boolean> delete(UUID tenantId) {
		return this.db.sql("DELETE FROM scim_token WHERE tenant_id = $1")
			.bind(0, tenantId)
			.fetch()
			.rowsUpdated()
			.map(rows -> rows > 0);
	}

}
