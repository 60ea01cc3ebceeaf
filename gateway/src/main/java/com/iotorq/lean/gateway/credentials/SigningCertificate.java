package com.iotorq.lean.gateway.credentials;

import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import com.iotorq.lean.gateway.secrets.SealedSecret;

/**
 * One of an organisation's certificates for {@code private_key_jwt}: the public X.509
 * certificate its Entra administrator uploads to the app registration, and the private
 * key (sealed) that signs client assertions while the certificate is
 * {@link Status#ACTIVE}.
 *
 * @param id stable identifier
 * @param tenantId the organisation
 * @param status where it is in its life
 * @param der the certificate, DER-encoded (the {@code .cer} file)
 * @param thumbprintSha1 SHA-1 of the DER as upper-case hex, as the Entra admin center
 * shows it
 * @param thumbprintSha256 SHA-256 of the DER as upper-case hex
 * @param notBefore start of validity
 * @param notAfter end of validity: renew 60 days or more before
 * @param privateKey the PKCS#8 private key, sealed for the tenant; {@code null} once
 * retired
 * @param createdAt when it was generated
 * @param activatedAt when a verification made it the signing certificate
 * @param retiredAt when it was retired
 */
public record SigningCertificate(UUID id, UUID tenantId, Status status, byte[] der, String thumbprintSha1,
		String thumbprintSha256, Instant notBefore, Instant notAfter, @Nullable SealedSecret privateKey,
		Instant createdAt, @Nullable Instant activatedAt, @Nullable Instant retiredAt) {

	/**
	 * The certificate as PEM ({@code -----BEGIN CERTIFICATE-----}), 64-character lines.
	 */
	public String pem() {
		String body = Base64.getMimeEncoder(64, "\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
			.encodeToString(this.der);
		return "-----BEGIN CERTIFICATE-----\n" + body + "\n-----END CERTIFICATE-----\n";
	}

	@Override
	public String toString() {
		return "SigningCertificate[id=" + this.id + ", status=" + this.status + ", thumbprintSha1="
				+ this.thumbprintSha1 + ", notAfter=" + this.notAfter + "]";
	}

	@Override
	public boolean equals(Object other) {
		return other instanceof SigningCertificate certificate && certificate.id.equals(this.id)
				&& certificate.status == this.status;
	}

	@Override
	public int hashCode() {
		return this.id.hashCode();
	}

	/** Where a certificate is in its life. */
	public enum Status {

		/**
		 * Generated; waits for the customer to upload it and a verification to show
		 * Microsoft accepts it. Never signs.
		 */
		PENDING,
		/**
		 * Accepted by Microsoft: the one certificate that signs the organisation's client
		 * assertions.
		 */
		ACTIVE,
		/** Replaced or withdrawn: never signs again, its private key is gone. */
		RETIRED

	}

}
