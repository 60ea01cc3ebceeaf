package com.iotorq.lean.gateway.credentials;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.UUID;

import io.r2dbc.spi.Readable;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;

import com.iotorq.lean.gateway.secrets.SealedSecret;

/**
 * Organisations' certificates in PostgreSQL. Status changes are made by
 * {@link SigningCertificates} inside transactions that hold the organisation's row lock.
 */
@Repository
public class CertificateRepository {

	private static final String SELECT = """
			SELECT id, tenant_id, status, certificate_der, thumbprint_sha1, thumbprint_sha256, not_before, not_after,
			       private_key_ciphertext, private_key_key_id, created_at, activated_at, retired_at
			  FROM sso_certificate
			""";

	private final DatabaseClient db;

	public CertificateRepository(DatabaseClient db) {
		this.db = db;
	}

	public Mono<Void> insert(SigningCertificate certificate) {
		SealedSecret key = certificate.privateKey();
		if (key == null) {
			return Mono.error(new IllegalArgumentException("a new certificate needs its private key"));
		}
		return this.db
			.sql("""
					INSERT INTO sso_certificate (id, tenant_id, status, certificate_der, thumbprint_sha1, thumbprint_sha256,
					                             not_before, not_after, private_key_ciphertext, private_key_key_id, created_at)
					VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)""")
			.bind(0, certificate.id())
			.bind(1, certificate.tenantId())
			.bind(2, certificate.status().name())
			.bind(3, certificate.der())
			.bind(4, certificate.thumbprintSha1())
			.bind(5, certificate.thumbprintSha256())
			.bind(6, certificate.notBefore())
			.bind(7, certificate.notAfter())
			.bind(8, key.ciphertext())
			.bind(9, key.keyId())
			.bind(10, certificate.createdAt())
			.then();
	}

	/** The organisation's certificates, newest first. */
	public Flux<SigningCertificate> findAll(UUID tenantId) {
		return this.db.sql(SELECT + " WHERE tenant_id = $1 ORDER BY created_at DESC, id")
			.bind(0, tenantId)
			.map(CertificateRepository::certificate)
			.all();
	}

	public Mono<SigningCertificate> find(UUID tenantId, UUID id) {
		return this.db.sql(SELECT + " WHERE tenant_id = $1 AND id = $2")
			.bind(0, tenantId)
			.bind(1, id)
			.map(CertificateRepository::certificate)
			.one();
	}

	/** The certificate that signs, if any. */
	public Mono<SigningCertificate> active(UUID tenantId) {
		return this.db.sql(SELECT + " WHERE tenant_id = $1 AND status = 'ACTIVE'")
			.bind(0, tenantId)
			.map(CertificateRepository::certificate)
			.one();
	}

	/** The newest certificate waiting to be verified, if any. */
	public Mono<SigningCertificate> newestPending(UUID tenantId) {
		return this.db.sql(SELECT + " WHERE tenant_id = $1 AND status = 'PENDING' ORDER BY created_at DESC, id LIMIT 1")
			.bind(0, tenantId)
			.map(CertificateRepository::certificate)
			.one();
	}

	/**
	 * Retires the ACTIVE certificate (if any) and makes this PENDING one ACTIVE; false if
	 * it is no longer PENDING.
	 */
	public Mono<Boolean> activate(UUID tenantId, UUID id, Instant now) {
		return this.db.sql("""
				UPDATE sso_certificate
				   SET status = 'RETIRED', retired_at = $2, private_key_ciphertext = NULL, private_key_key_id = NULL
				 WHERE tenant_id = $1 AND status = 'ACTIVE'""")
			.bind(0, tenantId)
			.bind(1, now)
			.then()
			.then(this.db.sql("""
					UPDATE sso_certificate SET status = 'ACTIVE', activated_at = $3
					 WHERE tenant_id = $1 AND id = $2 AND status = 'PENDING'""")
				.bind(0, tenantId)
				.bind(1, id)
				.bind(2, now)
				.fetch()
				.rowsUpdated()
				.map(rows -> rows > 0));
	}

	/**
	 * Retires one certificate and removes its private key; false if it was retired
	 * already.
	 */
	public Mono<Boolean> retire(UUID tenantId, UUID id, Instant now) {
		return this.db.sql("""
				UPDATE sso_certificate
				   SET status = 'RETIRED', retired_at = $3, private_key_ciphertext = NULL, private_key_key_id = NULL
				 WHERE tenant_id = $1 AND id = $2 AND status <> 'RETIRED'""")
			.bind(0, tenantId)
			.bind(1, id)
			.bind(2, now)
			.fetch()
			.rowsUpdated()
			.map(rows -> rows > 0);
	}

	/**
	 * Certificates that can still sign or be activated (not retired), with their
	 * organisation, soonest expiry first.
	 */
	public Flux<Expiring> unretired() {
		return this.db.sql("""
				SELECT c.id, c.tenant_id, t.slug, c.status, c.thumbprint_sha1, c.not_after
				  FROM sso_certificate c JOIN tenant t ON t.id = c.tenant_id
				 WHERE c.status <> 'RETIRED'
				 ORDER BY c.not_after, t.slug""")
			.map(row -> new Expiring(row.get("id", UUID.class), row.get("tenant_id", UUID.class),
					row.get("slug", String.class), SigningCertificate.Status.valueOf(row.get("status", String.class)),
					row.get("thumbprint_sha1", String.class), instant(row.get("not_after", OffsetDateTime.class))))
			.all();
	}

	/**
	 * Claims the warning for this threshold of this certificate: only one caller on any
	 * replica gets {@code true}.
	 */
	public Mono<Boolean> claimWarning(UUID certificateId, int thresholdDays) {
		return this.db.sql("""
				INSERT INTO sso_certificate_expiry_warning (certificate_id, threshold_days) VALUES ($1, $2)
				ON CONFLICT DO NOTHING""")
			.bind(0, certificateId)
			.bind(1, thresholdDays)
			.fetch()
			.rowsUpdated()
			.map(rows -> rows > 0);
	}

	/**
	 * A certificate whose expiry is watched.
	 *
	 * @param id the certificate
	 * @param tenantId its organisation
	 * @param slug the organisation's subdomain
	 * @param status PENDING or ACTIVE
	 * @param thumbprintSha1 as the Entra admin center shows it
	 * @param notAfter end of validity
	 */
	public record Expiring(UUID id, UUID tenantId, String slug, SigningCertificate.Status status, String thumbprintSha1,
			Instant notAfter) {
	}

	private static SigningCertificate certificate(Readable row) {
		byte[] sealedKey = bytes(row.get("private_key_ciphertext", ByteBuffer.class));
		return new SigningCertificate(row.get("id", UUID.class), row.get("tenant_id", UUID.class),
				SigningCertificate.Status.valueOf(row.get("status", String.class)),
				bytes(row.get("certificate_der", ByteBuffer.class)), row.get("thumbprint_sha1", String.class),
				row.get("thumbprint_sha256", String.class), instant(row.get("not_before", OffsetDateTime.class)),
				instant(row.get("not_after", OffsetDateTime.class)),
				(sealedKey.length > 0) ? new SealedSecret(row.get("private_key_key_id", String.class), sealedKey)
						: null,
				instant(row.get("created_at", OffsetDateTime.class)),
				nullableInstant(row.get("activated_at", OffsetDateTime.class)),
				nullableInstant(row.get("retired_at", OffsetDateTime.class)));
	}

	private static byte[] bytes(@Nullable ByteBuffer buffer) {
		if (buffer == null) {
			return new byte[0];
		}
		byte[] bytes = new byte[buffer.remaining()];
		buffer.get(bytes);
		return bytes;
	}

	private static Instant instant(@Nullable OffsetDateTime time) {
		return (time != null) ? time.toInstant() : Instant.EPOCH;
	}

	private static @Nullable Instant nullableInstant(@Nullable OffsetDateTime time) {
		return (time != null) ? time.toInstant() : null;
	}

}
