package com.iotorq.lean.gateway.tenant;

import java.net.URI;
import java.nio.ByteBuffer;
import java.time.LocalDate;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import io.r2dbc.spi.Readable;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.r2dbc.core.DatabaseClient;

import com.iotorq.lean.gateway.secrets.SealedSecret;
import org.springframework.stereotype.Repository;

/**
 * Tenants in PostgreSQL, over R2DBC.
 */
@Repository
public class TenantRepository implements TenantLookup {

	/** A tenant with its SSO settings, when it has any. */
	private static final String SELECT = """
			SELECT t.id, t.slug, t.display_name, t.backend_uri, t.created_at, t.updated_at, t.requests_per_second,
			       t.technical_contact_email,
			       s.provider, s.directory_id, s.client_id, s.client_secret_ciphertext, s.client_secret_key_id,
			       s.client_secret_expires_at, s.mode, s.provisioning, s.updated_at AS sso_updated_at,
			       s.allowed_groups, s.link_by_username, s.session_version, s.credential_type,
			       s.provider_options
			  FROM tenant t LEFT JOIN sso_settings s ON s.tenant_id = t.id
			""";

	private final DatabaseClient db;

	public TenantRepository(DatabaseClient db) {
		this.db = db;
	}

	@Override
	public Mono<Tenant> findBySlug(String slug) {
		return this.db.sql(SELECT + " WHERE t.slug = $1").bind(0, slug).map(TenantRepository::toTenant).one();
	}

	public Flux<Tenant> findPage(int offset, int limit) {
		return this.db.sql(SELECT + " ORDER BY t.slug LIMIT $1 OFFSET $2")
			.bind(0, limit)
			.bind(1, offset)
			.map(TenantRepository::toTenant)
			.all();
	}

	public Mono<Long> count() {
		return this.db.sql("SELECT count(*) AS n FROM tenant").map(row -> row.get("n", Long.class)).one();
	}

	/** Locks the row for the rest of the transaction, so concurrent updates serialise. */
	public Mono<Tenant> findBySlugForUpdate(String slug) {
		return this.db.sql(SELECT + " WHERE t.slug = $1 FOR UPDATE OF t")
			.bind(0, slug)
			.map(TenantRepository::toTenant)
			.one();
	}

	/**
	 * Inserts the tenant, or updates it when the slug exists.
	 * @param technicalContactEmail the contact to store, or {@code null} for none
	 * @return the row as written, and whether it was created
	 */
	public Mono<Written> upsert(String slug, String displayName, @Nullable URI backendUri,
			@Nullable Integer requestsPerSecond, @Nullable String technicalContactEmail) {
		var spec = this.db.sql("""
				INSERT INTO tenant (id, slug, display_name, backend_uri, requests_per_second, technical_contact_email)
				VALUES ($1, $2, $3, $4, $5, $6)
				ON CONFLICT (slug) DO UPDATE
				  SET display_name = EXCLUDED.display_name, backend_uri = EXCLUDED.backend_uri,
				      requests_per_second = EXCLUDED.requests_per_second,
				      technical_contact_email = EXCLUDED.technical_contact_email, updated_at = now()
				RETURNING (xmax = 0) AS inserted""").bind(0, UUID.randomUUID()).bind(1, slug).bind(2, displayName);
		spec = (backendUri != null) ? spec.bind(3, backendUri.toString()) : spec.bindNull(3, String.class);
		spec = (requestsPerSecond != null) ? spec.bind(4, requestsPerSecond) : spec.bindNull(4, Integer.class);
		spec = (technicalContactEmail != null) ? spec.bind(5, technicalContactEmail) : spec.bindNull(5, String.class);
		return spec.map(row -> Boolean.TRUE.equals(row.get("inserted", Boolean.class)))
			.one()
			.flatMap(created -> findBySlug(slug).map(tenant -> new Written(tenant, created)));
	}

	/**
	 * @param tenant the row as written
	 * @param created whether the row is new
	 */
	public record Written(Tenant tenant, boolean created) {
	}

	public Mono<Boolean> delete(String slug) {
		return this.db.sql("DELETE FROM tenant WHERE slug = $1")
			.bind(0, slug)
			.fetch()
			.rowsUpdated()
			.map(rows -> rows > 0);
	}

	static Tenant toTenant(Readable row) {
		String backend = row.get("backend_uri", String.class);
		return new Tenant(row.get("id", UUID.class), row.get("slug", String.class),
				row.get("display_name", String.class),
				(backend == null || backend.isEmpty()) ? null : URI.create(backend),
				instant(row.get("created_at", OffsetDateTime.class)),
				instant(row.get("updated_at", OffsetDateTime.class)), hasColumn(row, "provider") ? toSso(row) : null,
				hasColumn(row, "requests_per_second") ? row.get("requests_per_second", Integer.class) : null,
				hasColumn(row, "session_version") ? sessionVersion(row.get("session_version", Long.class)) : 0,
				hasColumn(row, "technical_contact_email") ? row.get("technical_contact_email", String.class) : null);
	}

	private static long sessionVersion(@Nullable Long version) {
		return (version != null) ? version : 0;
	}

	private static @Nullable SsoSettings toSso(Readable row) {
		String provider = row.get("provider", String.class);
		if (provider == null) {
			return null;
		}
		ByteBuffer ciphertext = row.get("client_secret_ciphertext", ByteBuffer.class);
		SealedSecret secret = null;
		if (ciphertext != null) {
			byte[] bytes = new byte[ciphertext.remaining()];
			ciphertext.get(bytes);
			secret = new SealedSecret(row.get("client_secret_key_id", String.class), bytes);
		}
		SsoSettings.CredentialType credentialType = hasColumn(row, "credential_type")
				? SsoSettings.CredentialType.of(row.get("credential_type", String.class)) : null;
		return new SsoSettings(provider, row.get("directory_id", String.class), row.get("client_id", String.class),
				secret, row.get("client_secret_expires_at", LocalDate.class),
				SsoSettings.Mode.valueOf(row.get("mode", String.class)),
				SsoSettings.Provisioning.valueOf(row.get("provisioning", String.class)),
				instant(row.get("sso_updated_at", OffsetDateTime.class)),
				groups(row.get("allowed_groups", String[].class)),
				Boolean.TRUE.equals(row.get("link_by_username", Boolean.class)),
				(credentialType != null) ? credentialType : SsoSettings.CredentialType.CLIENT_SECRET,
				hasColumn(row, "provider_options") ? options(row.get("provider_options", String.class)) : null);
	}

	/** Read as text: a {@code Json} value would hold a pooled buffer until it is read. */
	private static @Nullable OidcOptions options(@Nullable String json) {
		return (json != null) ? OidcOptionsJson.read(json) : null;
	}

	private static List<String> groups(String @Nullable [] groups) {
		return (groups != null) ? List.of(groups) : List.of();
	}

	private static boolean hasColumn(Readable row, String column) {
		return !(row instanceof io.r2dbc.spi.Row r) || r.getMetadata().contains(column);
	}

	private static Instant instant(@Nullable OffsetDateTime time) {
		return (time != null) ? time.toInstant() : Instant.EPOCH;
	}

}
