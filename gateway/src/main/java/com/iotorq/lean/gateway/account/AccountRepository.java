package com.iotorq.lean.gateway.account;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.UUID;

import io.r2dbc.spi.Readable;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;

/**
 * Accounts in PostgreSQL.
 */
@Repository
public class AccountRepository implements AccountLookup {

	private static final String COLUMNS = "id, tenant_id, email, display_name, status, idp_directory_id, idp_object_id, "
			+ "created_at, last_sign_in_at";

	private final DatabaseClient db;

	public AccountRepository(DatabaseClient db) {
		this.db = db;
	}

	public Mono<Account> findByIdentity(UUID tenantId, String directoryId, String objectId) {
		return this.db
			.sql("SELECT " + COLUMNS
					+ " FROM account WHERE tenant_id = $1 AND idp_directory_id = $2 AND idp_object_id = $3")
			.bind(0, tenantId)
			.bind(1, directoryId)
			.bind(2, objectId)
			.map(AccountRepository::toAccount)
			.one();
	}

	/**
	 * The account with this email, compared as {@link EmailAddresses#normalize} stores
	 * it.
	 */
	public Mono<Account> findByEmail(UUID tenantId, String email) {
		return this.db.sql("SELECT " + COLUMNS + " FROM account WHERE tenant_id = $1 AND email = $2")
			.bind(0, tenantId)
			.bind(1, EmailAddresses.normalize(email))
			.map(AccountRepository::toAccount)
			.one();
	}

	public Mono<Account> findById(UUID id) {
		return this.db.sql("SELECT " + COLUMNS + " FROM account WHERE id = $1")
			.bind(0, id)
			.map(AccountRepository::toAccount)
			.one();
	}

	public Flux<Account> findAll(UUID tenantId, Account.@Nullable Status status, int offset, int limit) {
		String sql = "SELECT " + COLUMNS + " FROM account WHERE tenant_id = $1"
				+ ((status != null) ? " AND status = $4" : "") + " ORDER BY email LIMIT $2 OFFSET $3";
		var spec = this.db.sql(sql).bind(0, tenantId).bind(1, limit).bind(2, offset);
		if (status != null) {
			spec = spec.bind(3, status.name());
		}
		return spec.map(AccountRepository::toAccount).all();
	}

	public Mono<Account> insert(UUID tenantId, String email, @Nullable String displayName, Account.Status status) {
		return insert(tenantId, email, displayName, status, null, null);
	}

	/**
	 * Inserts an account, its email normalised; bound to an identity when both ids are
	 * given (the identity whose first sign-in created it).
	 */
	public Mono<Account> insert(UUID tenantId, String email, @Nullable String displayName, Account.Status status,
			@Nullable String directoryId, @Nullable String objectId) {
		var spec = this.db
			.sql("INSERT INTO account (id, tenant_id, email, display_name, status, idp_directory_id, "
					+ "idp_object_id) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING " + COLUMNS)
			.bind(0, UUID.randomUUID())
			.bind(1, tenantId)
			.bind(2, EmailAddresses.normalize(email));
		spec = (displayName != null) ? spec.bind(3, displayName) : spec.bindNull(3, String.class);
		spec = spec.bind(4, status.name());
		spec = (directoryId != null && objectId != null) ? spec.bind(5, directoryId).bind(6, objectId)
				: spec.bindNull(5, String.class).bindNull(6, String.class);
		return spec.map(AccountRepository::toAccount).one();
	}

	/**
	 * Binds the account to an identity without recording a sign-in (an administrator's
	 * binding in advance, or a pending account and the identity that caused it).
	 * @return the account as written, empty when it is bound to another identity
	 */
	public Mono<Account> bind(UUID id, String directoryId, String objectId) {
		return this.db.sql("""
				UPDATE account SET idp_directory_id = $2, idp_object_id = $3, updated_at = now()
				 WHERE id = $1 AND (idp_object_id IS NULL OR (idp_directory_id = $2 AND idp_object_id = $3))
				RETURNING %s""".formatted(COLUMNS))
			.bind(0, id)
			.bind(1, directoryId)
			.bind(2, objectId)
			.map(AccountRepository::toAccount)
			.one();
	}

	/**
	 * Removes the account's link, so the next sign-in that the directory vouches for
	 * links it again.
	 */
	public Mono<Account> unlink(UUID id) {
		return this.db.sql("""
				UPDATE account SET idp_directory_id = NULL, idp_object_id = NULL, updated_at = now()
				 WHERE id = $1 RETURNING %s""".formatted(COLUMNS)).bind(0, id).map(AccountRepository::toAccount).one();
	}

	/**
	 * Makes the account's unused activation links unusable, e.g. when it is unlinked from
	 * the identity they were sent for.
	 */
	public Mono<Void> revokeActivationLinks(UUID id) {
		return this.db.sql("UPDATE account_activation SET used_at = now() WHERE account_id = $1 AND used_at IS NULL")
			.bind(0, id)
			.then();
	}

	public Mono<Account> update(UUID id, @Nullable String displayName, Account.Status status) {
		var spec = this.db
			.sql("UPDATE account SET display_name = $2, status = $3, updated_at = now() WHERE id = $1 RETURNING "
					+ COLUMNS)
			.bind(0, id);
		spec = (displayName != null) ? spec.bind(1, displayName) : spec.bindNull(1, String.class);
		return spec.bind(2, status.name()).map(AccountRepository::toAccount).one();
	}

	/**
	 * Links the account to an identity and records the sign-in. Linking only happens
	 * once: an account already linked to another identity is not re-linked.
	 * @return the account as written, empty when it is linked to another identity
	 */
	public Mono<Account> recordSignIn(UUID id, String directoryId, String objectId, @Nullable String displayName) {
		var spec = this.db.sql("""
				UPDATE account
				   SET idp_directory_id = $2, idp_object_id = $3, last_sign_in_at = now(),
				       display_name = COALESCE(display_name, $4), updated_at = now()
				 WHERE id = $1 AND (idp_object_id IS NULL OR (idp_directory_id = $2 AND idp_object_id = $3))
				RETURNING %s""".formatted(COLUMNS)).bind(0, id).bind(1, directoryId).bind(2, objectId);
		spec = (displayName != null) ? spec.bind(3, displayName) : spec.bindNull(3, String.class);
		return spec.map(AccountRepository::toAccount).one();
	}

	/**
	 * Records the sign-in of the active account already linked to this identity, in one
	 * statement: the usual sign-in, which would otherwise look the account up and then
	 * write it.
	 * @return the account as written, empty when no active account is linked to the
	 * identity (then the sign-in takes the long way, {@link AccountSignIn})
	 */
	public Mono<Account> recordSignInOfLinked(UUID tenantId, String directoryId, String objectId,
			@Nullable String displayName) {
		var spec = this.db.sql("""
				UPDATE account
				   SET last_sign_in_at = now(), display_name = COALESCE(display_name, $4), updated_at = now()
				 WHERE tenant_id = $1 AND idp_directory_id = $2 AND idp_object_id = $3 AND status = 'ACTIVE'
				RETURNING %s""".formatted(COLUMNS)).bind(0, tenantId).bind(1, directoryId).bind(2, objectId);
		spec = (displayName != null) ? spec.bind(3, displayName) : spec.bindNull(3, String.class);
		return spec.map(AccountRepository::toAccount).one();
	}

	@Override
	public Mono<SessionStanding> sessionStandingOf(UUID id) {
		return this.db.sql("""
				SELECT a.status, a.tenant_id, a.idp_directory_id, a.idp_object_id, s.session_version
				  FROM account a LEFT JOIN sso_settings s ON s.tenant_id = a.tenant_id
				 WHERE a.id = $1""")
			.bind(0, id)
			.map(row -> new SessionStanding(Account.Status.valueOf(row.get("status", String.class)),
					row.get("tenant_id", UUID.class), row.get("session_version", Long.class),
					row.get("idp_directory_id", String.class), row.get("idp_object_id", String.class)))
			.one();
	}

	static Account toAccount(Readable row) {
		return new Account(row.get("id", UUID.class), row.get("tenant_id", UUID.class), row.get("email", String.class),
				row.get("display_name", String.class), Account.Status.valueOf(row.get("status", String.class)),
				row.get("idp_directory_id", String.class), row.get("idp_object_id", String.class),
				instant(row.get("created_at", OffsetDateTime.class)),
				optionalInstant(row.get("last_sign_in_at", OffsetDateTime.class)));
	}

	private static Instant instant(@Nullable OffsetDateTime time) {
		return (time != null) ? time.toInstant() : Instant.EPOCH;
	}

	private static @Nullable Instant optionalInstant(@Nullable OffsetDateTime time) {
		return (time != null) ? time.toInstant() : null;
	}

}
