package com.iotorq.lean.gateway.setup;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Objects;
import java.util.UUID;

import io.r2dbc.spi.Readable;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;

/**
 * Setup links in PostgreSQL ({@code sso_setup_link}): only the SHA-256 of a token is
 * stored.
 */
@Repository
public class SetupLinkRepository {

	private static final String COLUMNS = "id, tenant_id, email, created_by, created_at, expires_at, used_at, revoked_at, "
			+ "(expires_at > now()) AS unexpired";

	private final DatabaseClient db;

	public SetupLinkRepository(DatabaseClient db) {
		this.db = db;
	}

	Mono<SetupLink> insert(UUID tenantId, byte[] tokenHash, @Nullable String email, String createdBy,
			Duration validFor) {
		var spec = this.db
			.sql("INSERT INTO sso_setup_link (id, tenant_id, token_hash, email, created_by, expires_at) "
					+ "VALUES ($1, $2, $3, $4, $5, now() + make_interval(secs => $6)) RETURNING " + COLUMNS)
			.bind(0, UUID.randomUUID())
			.bind(1, tenantId)
			.bind(2, tokenHash);
		spec = (email != null) ? spec.bind(3, email) : spec.bindNull(3, String.class);
		return spec.bind(4, createdBy)
			.bind(5, (double) validFor.toMillis() / 1000)
			.map(SetupLinkRepository::link)
			.one();
	}

	/** The organisation's links, newest first. */
	Flux<SetupLink> findAll(UUID tenantId) {
		return this.db
			.sql("SELECT " + COLUMNS + " FROM sso_setup_link WHERE tenant_id = $1 ORDER BY created_at DESC, id")
			.bind(0, tenantId)
			.map(SetupLinkRepository::link)
			.all();
	}

	Mono<SetupLink> find(UUID tenantId, UUID id) {
		return this.db.sql("SELECT " + COLUMNS + " FROM sso_setup_link WHERE tenant_id = $1 AND id = $2")
			.bind(0, tenantId)
			.bind(1, id)
			.map(SetupLinkRepository::link)
			.one();
	}

	/**
	 * The link of this token on this organisation's host; empty when there is none
	 * (here).
	 */
	Mono<SetupLink> findByToken(UUID tenantId, byte[] tokenHash) {
		return this.db.sql("SELECT " + COLUMNS + " FROM sso_setup_link WHERE tenant_id = $1 AND token_hash = $2")
			.bind(0, tenantId)
			.bind(1, tokenHash)
			.map(SetupLinkRepository::link)
			.one();
	}

	/**
	 * Marks the link used, unless it was used, revoked or expired meanwhile: an atomic
	 * compare-and-set, so two replicas never open one link twice.
	 * @return whether this call used it
	 */
	Mono<Boolean> markUsed(UUID id) {
		return this.db
			.sql("UPDATE sso_setup_link SET used_at = now() "
					+ "WHERE id = $1 AND used_at IS NULL AND revoked_at IS NULL AND expires_at > now()")
			.bind(0, id)
			.fetch()
			.rowsUpdated()
			.map(rows -> rows > 0);
	}

	/**
	 * @return the link as revoked; empty when it was revoked already or does not exist
	 */
	Mono<SetupLink> revoke(UUID tenantId, UUID id) {
		return this.db
			.sql("UPDATE sso_setup_link SET revoked_at = now() WHERE tenant_id = $1 AND id = $2 "
					+ "AND revoked_at IS NULL RETURNING " + COLUMNS)
			.bind(0, tenantId)
			.bind(1, id)
			.map(SetupLinkRepository::link)
			.one();
	}

	private static SetupLink link(Readable row) {
		return new SetupLink(row.get("id", UUID.class), row.get("tenant_id", UUID.class),
				row.get("email", String.class), row.get("created_by", String.class), requiredInstant(row, "created_at"),
				requiredInstant(row, "expires_at"), instant(row, "used_at"), instant(row, "revoked_at"),
				Boolean.TRUE.equals(row.get("unexpired", Boolean.class)));
	}

	private static Instant requiredInstant(Readable row, String column) {
		return Objects.requireNonNull(instant(row, column), () -> column + " is NOT NULL");
	}

	private static @Nullable Instant instant(Readable row, String column) {
		OffsetDateTime value = row.get(column, OffsetDateTime.class);
		return (value != null) ? value.toInstant() : null;
	}

	/**
	 * A setup link as stored (never its token).
	 *
	 * @param id its id
	 * @param tenantId the organisation it opens
	 * @param email whom it was meant for, if known
	 * @param createdBy who created it (an admin token fingerprint, or the renewal
	 * reminder)
	 * @param createdAt when
	 * @param expiresAt until when it opens
	 * @param usedAt when it was exchanged for a setup session
	 * @param revokedAt when it was revoked
	 * @param unexpired whether it is still within its lifetime, by the database's clock
	 */
	record SetupLink(UUID id, UUID tenantId, @Nullable String email, String createdBy, Instant createdAt,
			Instant expiresAt, @Nullable Instant usedAt, @Nullable Instant revokedAt, boolean unexpired) {
	}

}
