package com.iotorq.lean.gateway.onboarding;

import java.time.LocalDate;
import java.util.UUID;

import reactor.core.publisher.Mono;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;

/**
 * Which credential renewal reminders were mailed. A reminder is claimed before it is
 * mailed, so that only one replica mails it, and released again when the mail could not
 * be sent.
 */
@Repository
public class RenewalReminderRepository {

	private final DatabaseClient db;

	public RenewalReminderRepository(DatabaseClient db) {
		this.db = db;
	}

	/**
	 * @return whether this caller, of all replicas, is the one to mail this reminder
	 */
	public Mono<Boolean> claim(UUID tenantId, LocalDate expiresAt, int thresholdDays) {
		return this.db.sql("""
				INSERT INTO sso_renewal_reminder (tenant_id, expires_at, threshold_days) VALUES ($1, $2, $3)
				ON CONFLICT DO NOTHING""")
			.bind(0, tenantId)
			.bind(1, expiresAt)
			.bind(2, thresholdDays)
			.fetch()
			.rowsUpdated()
			.map(rows -> rows > 0);
	}

	/** Gives a claimed reminder back, so that the next check tries to mail it again. */
	public Mono<Void> release(UUID tenantId, LocalDate expiresAt, int thresholdDays) {
		return this.db
			.sql("DELETE FROM sso_renewal_reminder WHERE tenant_id = $1 AND expires_at = $2 AND threshold_days = $3")
			.bind(0, tenantId)
			.bind(1, expiresAt)
			.bind(2, thresholdDays)
			.then();
	}

}
