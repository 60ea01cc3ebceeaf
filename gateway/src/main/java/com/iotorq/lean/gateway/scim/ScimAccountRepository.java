package com.iotorq.lean.gateway.scim;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.UUID;

import io.r2dbc.spi.Readable;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;

import com.iotorq.lean.gateway.account.Account;
import com.iotorq.lean.gateway.account.EmailAddresses;

/**
 * Reads accounts with the name parts SCIM keeps ({@code scim_account}), and writes what
 * only SCIM changes: an account's email (its {@code userName}) and those name parts.
 * Everything else goes through {@link com.iotorq.lean.gateway.account.AccountRepository}.
 */
@Repository
class ScimAccountRepository {

	private static final String SELECT = """
			SELECT a.id, a.email, a.display_name, a.status, a.idp_directory_id, a.idp_object_id, a.created_at,
			       a.updated_at, s.given_name, s.family_name
			  FROM account a LEFT JOIN scim_account s ON s.account_id = a.id
			""";

	private final DatabaseClient db;

	ScimAccountRepository(DatabaseClient db) {
		this.db = db;
	}

	Mono<ScimAccount> findById(UUID tenantId, UUID id) {
		return this.db.sql(SELECT + " WHERE a.tenant_id = $1 AND a.id = $2")
			.bind(0, tenantId)
			.bind(1, id)
			.map(ScimAccountRepository::toAccount)
			.one();
	}

	Mono<ScimAccount> findByEmail(UUID tenantId, String email) {
		return this.db.sql(SELECT + " WHERE a.tenant_id = $1 AND a.email = $2")
			.bind(0, tenantId)
			.bind(1, EmailAddresses.normalize(email))
			.map(ScimAccountRepository::toAccount)
			.one();
	}

	Mono<ScimAccount> findByIdentity(UUID tenantId, String directoryId, String objectId) {
		return this.db.sql(SELECT + " WHERE a.tenant_id = $1 AND a.idp_directory_id = $2 AND a.idp_object_id = $3")
			.bind(0, tenantId)
			.bind(1, directoryId)
			.bind(2, objectId)
			.map(ScimAccountRepository::toAccount)
			.one();
	}

	/** One page of the organisation's accounts, oldest first. */
	Flux<ScimAccount> page(UUID tenantId, long offset, int limit) {
		return this.db.sql(SELECT + " WHERE a.tenant_id = $1 ORDER BY a.created_at, a.id LIMIT $2 OFFSET $3")
			.bind(0, tenantId)
			.bind(1, limit)
			.bind(2, offset)
			.map(ScimAccountRepository::toAccount)
			.all();
	}

	Mono<Long> count(UUID tenantId) {
		return this.db.sql("SELECT count(*) AS n FROM account WHERE tenant_id = $1")
			.bind(0, tenantId)
			.map(row -> row.get("n", Long.class))
			.one();
	}

	/** Writes the account's email (normalised), display name and status. */
	Mono<Void> update(UUID id, String email, @Nullable String displayName, Account.Status status) {
		var spec = this.db
			.sql("UPDATE account SET email = $2, display_name = $3, status = $4, updated_at = now() WHERE id = $1")
			.bind(0, id)
			.bind(1, EmailAddresses.normalize(email));
		spec = (displayName != null) ? spec.bind(2, displayName) : spec.bindNull(2, String.class);
		return spec.bind(3, status.name()).then();
	}

	Mono<Void> saveNames(UUID accountId, @Nullable String givenName, @Nullable String familyName) {
		var spec = this.db.sql("""
				INSERT INTO scim_account (account_id, given_name, family_name) VALUES ($1, $2, $3)
				ON CONFLICT (account_id) DO UPDATE
				   SET given_name = EXCLUDED.given_name, family_name = EXCLUDED.family_name, updated_at = now()""")
			.bind(0, accountId);
		spec = (givenName != null) ? spec.bind(1, givenName) : spec.bindNull(1, String.class);
		spec = (familyName != null) ? spec.bind(2, familyName) : spec.bindNull(2, String.class);
		return spec.then();
	}

	private static ScimAccount toAccount(Readable row) {
		return new ScimAccount(row.get("id", UUID.class), row.get("email", String.class),
				row.get("display_name", String.class), Account.Status.valueOf(row.get("status", String.class)),
				row.get("idp_directory_id", String.class), row.get("idp_object_id", String.class),
				row.get("given_name", String.class), row.get("family_name", String.class),
				instant(row.get("created_at", OffsetDateTime.class)),
				instant(row.get("updated_at", OffsetDateTime.class)));
	}

	private static Instant instant(@Nullable OffsetDateTime time) {
		return (time != null) ? time.toInstant() : Instant.EPOCH;
	}

}
