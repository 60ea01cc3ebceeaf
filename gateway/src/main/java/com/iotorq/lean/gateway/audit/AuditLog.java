package com.iotorq.lean.gateway.audit;

import io.r2dbc.postgresql.codec.Json;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;

/**
 * Records changes made through the admin API. Call it inside the change's transaction:
 * the audit row and the change are committed together or not at all.
 */
@Component
public class AuditLog {

	private final DatabaseClient db;

	private final JsonMapper json;

	public AuditLog(DatabaseClient db, JsonMapper json) {
		this.db = db;
		this.json = json;
	}

	/**
	 * @param actor who made the change: a token fingerprint, never a token
	 * @param action what happened, e.g. {@code tenant.updated}
	 * @param tenantSlug the organisation concerned
	 * @param subject what within the organisation changed, e.g. an account's email
	 * @param before the state before, free of secrets, or {@code null}
	 * @param after the state after, free of secrets, or {@code null}
	 */
	public Mono<Void> record(String actor, String action, String tenantSlug, @Nullable String subject,
			@Nullable Object before, @Nullable Object after) {
		var spec = this.db.sql(
				"INSERT INTO audit_event (actor, action, tenant_slug, subject, before, after) VALUES ($1, $2, $3, $4, $5, $6)")
			.bind(0, actor)
			.bind(1, action)
			.bind(2, tenantSlug);
		spec = (subject != null) ? spec.bind(3, subject) : spec.bindNull(3, String.class);
		spec = (before != null) ? spec.bind(4, toJson(before)) : spec.bindNull(4, Json.class);
		spec = (after != null) ? spec.bind(5, toJson(after)) : spec.bindNull(5, Json.class);
		return spec.then();
	}

	private Json toJson(Object value) {
		return Json.of(this.json.writeValueAsString(value));
	}

}
