package com.iotorq.lean.gateway.tenant;

import reactor.core.publisher.Mono;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;

/**
 * Tells every replica that an organisation changed. Runs inside the caller's transaction,
 * so PostgreSQL delivers the notification only once the change is committed.
 */
@Component
public class TenantChangeNotifier {

	/** The PostgreSQL channel; the payload is the tenant's slug. */
	public static final String CHANNEL = "lean_tenant_changed";

	private final DatabaseClient db;

	public TenantChangeNotifier(DatabaseClient db) {
		this.db = db;
	}

	public Mono<Void> changed(String slug) {
		return this.db.sql("SELECT pg_notify($1, $2)").bind(0, CHANNEL).bind(1, slug).then();
	}

}
