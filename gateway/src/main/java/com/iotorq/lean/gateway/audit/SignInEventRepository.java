package com.iotorq.lean.gateway.audit;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;

/**
 * Sign-in attempts in PostgreSQL, per organisation, pruned after the retention.
 */
@Repository
public class SignInEventRepository {

	private static final int MAX_DETAIL = 500;

	private final DatabaseClient db;

	public SignInEventRepository(DatabaseClient db) {
		this.db = db;
	}

	public Mono<Void> record(UUID tenantId, SignInEvent event) {
		var spec = this.db.sql("""
				INSERT INTO sign_in_event (tenant_id, outcome, reason, detail, error_code, account_id, email,
				                           idp_object_id, correlation_id, idp_token_id)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)""")
			.bind(0, tenantId)
			.bind(1, event.success() ? "SUCCESS" : "FAILURE")
			.bind(2, event.reason());
		spec = bind(spec, 3, truncate(event.detail()));
		spec = bind(spec, 4, truncate(event.errorCode()));
		spec = (event.accountId() != null) ? spec.bind(5, event.accountId()) : spec.bindNull(5, UUID.class);
		spec = bind(spec, 6, truncate(event.email()));
		spec = bind(spec, 7, truncate(event.idpObjectId()));
		spec = bind(spec, 8, truncate(event.correlationId()));
		spec = bind(spec, 9, truncate(event.idpTokenId()));
		return spec.then();
	}

	/** The latest attempts, newest first; only those of this email when given. */
	public Flux<SignInEvent> recent(UUID tenantId, @Nullable String email, int limit) {
		String sql = "SELECT occurred_at, outcome, reason, detail, error_code, account_id, email, idp_object_id, "
				+ "correlation_id, idp_token_id FROM sign_in_event WHERE tenant_id = $1"
				+ ((email != null) ? " AND lower(email) = lower($3)" : "")
				+ " ORDER BY occurred_at DESC, id DESC LIMIT $2";
		var spec = this.db.sql(sql).bind(0, tenantId).bind(1, limit);
		if (email != null) {
			spec = spec.bind(2, email);
		}
		return spec.map(row -> new SignInEvent(row.get("occurred_at", OffsetDateTime.class).toInstant(),
				"SUCCESS".equals(row.get("outcome", String.class)), row.get("reason", String.class),
				row.get("detail", String.class), row.get("error_code", String.class), row.get("account_id", UUID.class),
				row.get("email", String.class), row.get("idp_object_id", String.class),
				row.get("correlation_id", String.class), row.get("idp_token_id", String.class)))
			.all();
	}

	/**
	 * @return how many attempts older than {@code retention} were deleted
	 */
	public Mono<Long> prune(Duration retention) {
		return this.db.sql("DELETE FROM sign_in_event WHERE occurred_at < now() - make_interval(secs => $1)")
			.bind(0, (double) retention.toSeconds())
			.fetch()
			.rowsUpdated();
	}

	private static org.springframework.r2dbc.core.DatabaseClient.GenericExecuteSpec bind(
			org.springframework.r2dbc.core.DatabaseClient.GenericExecuteSpec spec, int index, @Nullable String value) {
		return (value != null) ? spec.bind(index, value) : spec.bindNull(index, String.class);
	}

	private static @Nullable String truncate(@Nullable String value) {
		return (value == null || value.length() <= MAX_DETAIL) ? value : value.substring(0, MAX_DETAIL);
	}

}
