package com.iotorq.lean.gateway.setup;

import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.UUID;

import io.r2dbc.postgresql.codec.Json;
import io.r2dbc.spi.Readable;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;

import com.iotorq.lean.gateway.onboarding.SsoVerification;
import com.iotorq.lean.gateway.secrets.SealedSecret;
import com.iotorq.lean.gateway.tenant.SsoSettings;

/**
 * Setup sessions and their drafts in PostgreSQL ({@code sso_setup_session}). Every read
 * joins the link: a session whose link was revoked, or that has run out, is not found, on
 * any replica.
 */
@Repository
public class SetupSessionRepository {

	private static final String SELECT = """
			SELECT s.id_hash, s.link_id, l.tenant_id, s.csrf_token, s.expires_at, s.provider, s.directory_id, s.client_id,
			       s.client_secret_ciphertext, s.client_secret_key_id, s.client_secret_expires_at, s.credential_type,
			       s.certificate_id, s.draft_version,
			       s.verification::text AS verification, s.consent::text AS consent, s.test_result::text AS test_result,
			       s.test_draft_version, s.activated_at, s.flow::text AS flow
			  FROM sso_setup_session s JOIN sso_setup_link l ON l.id = s.link_id
			 WHERE l.revoked_at IS NULL AND s.expires_at > now() AND l.tenant_id = $2
			""";

	private final DatabaseClient db;

	private final JsonMapper json;

	public SetupSessionRepository(DatabaseClient db, JsonMapper json) {
		this.db = db;
		this.json = json;
	}

	/**
	 * A new session for a link just used, its draft prefilled with what is live
	 * (renewal).
	 */
	Mono<Void> create(byte[] idHash, UUID linkId, String csrfToken, Duration ttl, SetupSession.Draft draft) {
		var spec = this.db
			.sql("""
					INSERT INTO sso_setup_session (id_hash, link_id, csrf_token, expires_at, provider, directory_id, client_id,
					                               credential_type)
					VALUES ($1, $2, $3, now() + make_interval(secs => $4), $5, $6, $7, $8)""")
			.bind(0, idHash)
			.bind(1, linkId)
			.bind(2, csrfToken)
			.bind(3, (double) ttl.toMillis() / 1000)
			.bind(4, draft.provider())
			.bind(7, draft.credentialType().value());
		spec = (draft.directoryId() != null) ? spec.bind(5, draft.directoryId()) : spec.bindNull(5, String.class);
		spec = (draft.clientId() != null) ? spec.bind(6, draft.clientId()) : spec.bindNull(6, String.class);
		return spec.then();
	}

	/**
	 * Gives the link's session a new id (ending the old cookie's session) with a new
	 * lifetime, if nothing was done in it yet: no draft saved, no trip to the provider,
	 * nothing activated.
	 * @return whether it was replaced
	 */
	Mono<Boolean> replaceUntouched(UUID linkId, byte[] idHash, String csrfToken, Duration ttl) {
		return this.db
			.sql("""
					UPDATE sso_setup_session SET id_hash = $2, csrf_token = $3, expires_at = now() + make_interval(secs => $4)
					 WHERE link_id = $1 AND draft_version = 0 AND flow_state IS NULL AND consent IS NULL
					   AND test_result IS NULL AND activated_at IS NULL
					   AND EXISTS (SELECT 1 FROM sso_setup_link l WHERE l.id = $1 AND l.revoked_at IS NULL AND l.expires_at > now())""")
			.bind(0, linkId)
			.bind(1, idHash)
			.bind(2, csrfToken)
			.bind(3, (double) ttl.toMillis() / 1000)
			.fetch()
			.rowsUpdated()
			.map(rows -> rows > 0);
	}

	Mono<SetupSession> find(byte[] idHash, UUID tenantId) {
		return this.db.sql(SELECT + " AND s.id_hash = $1").bind(0, idHash).bind(1, tenantId).map(this::session).one();
	}

	/**
	 * The session waiting for this flow's answer, if the browser that started it sent its
	 * binding cookie back: a stolen state alone finds nothing.
	 */
	Mono<Pending> findFlow(String state, byte[] binderHash, UUID tenantId, Duration flowTtl) {
		return this.db.sql(SELECT + """
				AND s.flow_state = $1 AND s.flow_binder_hash = $3
				AND s.flow_started_at > now() - make_interval(secs => $4)""")
			.bind(0, state)
			.bind(1, tenantId)
			.bind(2, binderHash)
			.bind(3, (double) flowTtl.toMillis() / 1000)
			.map(row -> new Pending(session(row), this.json.readValue(text(row, "flow"), SetupSession.Flow.class)))
			.one();
	}

	/** Replaces the draft; a new version, so an earlier test sign-in no longer counts. */
	Mono<Void> saveDraft(byte[] idHash, SetupSession.Draft draft, @Nullable SsoVerification verification) {
		var spec = this.db.sql("""
				UPDATE sso_setup_session
				   SET provider = $2, directory_id = $3, client_id = $4, client_secret_ciphertext = $5,
				       client_secret_key_id = $6, client_secret_expires_at = $7, verification = $8,
				       credential_type = $9, certificate_id = $10, draft_version = draft_version + 1
				 WHERE id_hash = $1""").bind(0, idHash).bind(1, draft.provider());
		// a certificate can be generated before the IDs are typed
		spec = (draft.directoryId() != null) ? spec.bind(2, draft.directoryId()) : spec.bindNull(2, String.class);
		spec = (draft.clientId() != null) ? spec.bind(3, draft.clientId()) : spec.bindNull(3, String.class);
		SealedSecret secret = draft.clientSecret();
		spec = (secret != null) ? spec.bind(4, secret.ciphertext()).bind(5, secret.keyId())
				: spec.bindNull(4, byte[].class).bindNull(5, String.class);
		spec = (draft.clientSecretExpiresAt() != null) ? spec.bind(6, draft.clientSecretExpiresAt())
				: spec.bindNull(6, LocalDate.class);
		spec = (verification != null) ? spec.bind(7, toJson(verification)) : spec.bindNull(7, Json.class);
		spec = spec.bind(8, draft.credentialType().value());
		spec = (draft.certificateId() != null) ? spec.bind(9, draft.certificateId()) : spec.bindNull(9, UUID.class);
		return spec.then();
	}

	Mono<Void> startFlow(byte[] idHash, String state, byte[] binderHash, SetupSession.Flow flow) {
		return this.db.sql("""
				UPDATE sso_setup_session SET flow_state = $2, flow_binder_hash = $3, flow_started_at = now(), flow = $4
				 WHERE id_hash = $1""").bind(0, idHash).bind(1, state).bind(2, binderHash).bind(3, toJson(flow)).then();
	}

	/**
	 * Ends the flow of this state (once: a replayed callback finds nothing) and records
	 * its result.
	 * @return whether this call ended it
	 */
	Mono<Boolean> finishTest(byte[] idHash, String state, TestSignInResult result, int draftVersion) {
		return this.db
			.sql("""
					UPDATE sso_setup_session
					   SET flow_state = NULL, flow_binder_hash = NULL, flow = NULL, test_result = $3, test_draft_version = $4
					 WHERE id_hash = $1 AND flow_state = $2""")
			.bind(0, idHash)
			.bind(1, state)
			.bind(2, toJson(result))
			.bind(3, draftVersion)
			.fetch()
			.rowsUpdated()
			.map(rows -> rows > 0);
	}

	/**
	 * Records a test sign-in that could not even start (e.g. the directory could not be
	 * read).
	 */
	Mono<Void> recordTest(byte[] idHash, TestSignInResult result, int draftVersion) {
		return this.db.sql("UPDATE sso_setup_session SET test_result = $2, test_draft_version = $3 WHERE id_hash = $1")
			.bind(0, idHash)
			.bind(1, toJson(result))
			.bind(2, draftVersion)
			.then();
	}

	/** As {@link #finishTest}, for an admin consent answer. */
	Mono<Boolean> finishConsent(byte[] idHash, String state, ConsentResult result) {
		return this.db.sql("""
				UPDATE sso_setup_session SET flow_state = NULL, flow_binder_hash = NULL, flow = NULL, consent = $3
				 WHERE id_hash = $1 AND flow_state = $2""")
			.bind(0, idHash)
			.bind(1, state)
			.bind(2, toJson(result))
			.fetch()
			.rowsUpdated()
			.map(rows -> rows > 0);
	}

	/**
	 * Records that the draft went live, once and only if it is still the version that was
	 * tested.
	 * @return whether this call recorded it
	 */
	Mono<Boolean> markActivated(byte[] idHash, int draftVersion) {
		return this.db.sql("""
				UPDATE sso_setup_session SET activated_at = now()
				 WHERE id_hash = $1 AND activated_at IS NULL AND draft_version = $2 AND test_draft_version = $2""")
			.bind(0, idHash)
			.bind(1, draftVersion)
			.fetch()
			.rowsUpdated()
			.map(rows -> rows > 0);
	}

	/**
	 * Deletes the sessions that ended (expired, or whose link was revoked) and with them
	 * their drafts' sealed secrets.
	 * @return how many
	 */
	Mono<Long> deleteEnded() {
		return this.db.sql("""
				DELETE FROM sso_setup_session s USING sso_setup_link l
				 WHERE l.id = s.link_id AND (s.expires_at <= now() OR l.revoked_at IS NOT NULL)""")
			.fetch()
			.rowsUpdated();
	}

	private Json toJson(Object value) {
		return Json.of(this.json.writeValueAsString(value));
	}

	private SetupSession session(Readable row) {
		byte[] ciphertext = row.get("client_secret_ciphertext", byte[].class);
		String keyId = row.get("client_secret_key_id", String.class);
		SealedSecret secret = (ciphertext != null && keyId != null) ? new SealedSecret(keyId, ciphertext) : null;
		SsoSettings.CredentialType credentialType = SsoSettings.CredentialType
			.of(row.get("credential_type", String.class));
		var draft = new SetupSession.Draft(row.get("provider", String.class), row.get("directory_id", String.class),
				row.get("client_id", String.class), secret, row.get("client_secret_expires_at", LocalDate.class),
				(credentialType != null) ? credentialType : SsoSettings.CredentialType.CLIENT_SECRET,
				row.get("certificate_id", UUID.class));
		String verification = text(row, "verification");
		String consent = text(row, "consent");
		String test = text(row, "test_result");
		OffsetDateTime activated = row.get("activated_at", OffsetDateTime.class);
		return new SetupSession(row.get("id_hash", byte[].class), row.get("link_id", UUID.class),
				row.get("tenant_id", UUID.class), row.get("csrf_token", String.class),
				row.get("expires_at", OffsetDateTime.class).toInstant(), draft, row.get("draft_version", Integer.class),
				(verification != null) ? this.json.readValue(verification, SsoVerification.class) : null,
				(consent != null) ? this.json.readValue(consent, ConsentResult.class) : null,
				(test != null) ? this.json.readValue(test, TestSignInResult.class) : null,
				row.get("test_draft_version", Integer.class), (activated != null) ? activated.toInstant() : null);
	}

	private static @Nullable String text(Readable row, String column) {
		return row.get(column, String.class);
	}

	/** A session and the flow it is waiting for. */
	record Pending(SetupSession session, SetupSession.Flow flow) {
	}

}
