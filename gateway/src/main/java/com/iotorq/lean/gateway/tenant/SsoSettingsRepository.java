package com.iotorq.lean.gateway.tenant;

import java.time.LocalDate;
import java.util.UUID;

import io.r2dbc.postgresql.codec.Json;
import reactor.core.publisher.Mono;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;

import com.iotorq.lean.gateway.secrets.SealedSecret;

/**
 * Writes organisations' SSO settings; they are read together with the tenant by
 * {@link TenantRepository}.
 */
@Repository
public class SsoSettingsRepository {

	private final DatabaseClient db;

	public SsoSettingsRepository(DatabaseClient db) {
		this.db = db;
	}

	public Mono<Void> upsert(UUID tenantId, SsoSettings settings) {
		var spec = this.db
			.sql("""
					INSERT INTO sso_settings (tenant_id, provider, directory_id, client_id, client_secret_ciphertext,
					                          client_secret_key_id, client_secret_expires_at, mode, provisioning, allowed_groups,
					                          link_by_username, credential_type, provider_options)
					VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
					ON CONFLICT (tenant_id) DO UPDATE
					  SET provider = EXCLUDED.provider, directory_id = EXCLUDED.directory_id, client_id = EXCLUDED.client_id,
					      client_secret_ciphertext = EXCLUDED.client_secret_ciphertext,
					      client_secret_key_id = EXCLUDED.client_secret_key_id,
					      client_secret_expires_at = EXCLUDED.client_secret_expires_at,
					      mode = EXCLUDED.mode, provisioning = EXCLUDED.provisioning,
					      allowed_groups = EXCLUDED.allowed_groups, link_by_username = EXCLUDED.link_by_username,
					      credential_type = EXCLUDED.credential_type, provider_options = EXCLUDED.provider_options,
					      updated_at = now()
					""")
			.bind(0, tenantId)
			.bind(1, settings.provider())
			.bind(2, settings.directoryId())
			.bind(3, settings.clientId());
		SealedSecret secret = settings.clientSecret();
		spec = (secret != null) ? spec.bind(4, secret.ciphertext()).bind(5, secret.keyId())
				: spec.bindNull(4, byte[].class).bindNull(5, String.class);
		spec = (settings.clientSecretExpiresAt() != null) ? spec.bind(6, settings.clientSecretExpiresAt())
				: spec.bindNull(6, LocalDate.class);
		spec = (settings.oidc() != null) ? spec.bind(12, Json.of(OidcOptionsJson.write(settings.oidc())))
				: spec.bindNull(12, Json.class);
		return spec.bind(7, settings.mode().name())
			.bind(8, settings.provisioning().name())
			.bind(9, settings.allowedGroups().toArray(String[]::new))
			.bind(10, settings.linkByUsername())
			.bind(11, settings.credentialType().value())
			.then();
	}

	/**
	 * @return whether the organisation had SSO settings
	 */
	public Mono<Boolean> delete(UUID tenantId) {
		return this.db.sql("DELETE FROM sso_settings WHERE tenant_id = $1")
			.bind(0, tenantId)
			.fetch()
			.rowsUpdated()
			.map(rows -> rows > 0);
	}

	/** Re-encrypts one stored secret with the current key (during a key rotation). */
	public Mono<Void> updateSecret(UUID tenantId, SealedSecret secret) {
		return this.db.sql(
				"UPDATE sso_settings SET client_secret_ciphertext = $2, client_secret_key_id = $3 WHERE tenant_id = $1")
			.bind(0, tenantId)
			.bind(1, secret.ciphertext())
			.bind(2, secret.keyId())
			.then();
	}

}
