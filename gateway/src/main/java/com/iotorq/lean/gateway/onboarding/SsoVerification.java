package com.iotorq.lean.gateway.onboarding;

import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * The outcome of checking an organisation's SSO credentials against its identity
 * provider, one check after another.
 *
 * @param verifiedAt when the checks ran
 * @param ok whether no check failed
 * @param settingsUpdatedAt the version of the SSO settings that was checked
 * @param checks each check and its outcome, in the order they ran
 */
public record SsoVerification(Instant verifiedAt, boolean ok, Instant settingsUpdatedAt, List<Check> checks) {

	/** The directory exists: its discovery document could be read. */
	public static final String DIRECTORY = "directory";

	/**
	 * The provider's signing keys (its JWKS) can be read and hold a usable public key;
	 * checked for generic OpenID Connect providers, between the directory and the
	 * credentials.
	 */
	public static final String SIGNING_KEYS = "signingKeys";

	/**
	 * The client id and its credential (secret or certificate) are accepted by the token
	 * endpoint.
	 */
	public static final String CREDENTIALS = "credentials";

	/**
	 * The redirect URI the organisation's sign-ins send, for support to compare with the
	 * registration.
	 */
	public static final String REDIRECT_URI = "redirectUri";

	public SsoVerification {
		checks = List.copyOf(checks);
	}

	/** {@code ok} when every check that ran passed, {@code failed} otherwise. */
	public String outcome() {
		return this.ok ? Check.OK : Check.FAILED;
	}

	/**
	 * One check.
	 *
	 * @param check which check: {@value #DIRECTORY}, {@value #CREDENTIALS} or
	 * {@value #REDIRECT_URI}
	 * @param status {@value #OK}, {@value #FAILED}, {@value #SKIPPED} (an earlier check
	 * failed) or {@value #INFO} (shown for support to compare; the provider cannot be
	 * asked)
	 * @param summary what was found
	 * @param value what was checked, e.g. the issuer or the redirect URI
	 * @param errorCode the provider's error code, e.g. {@code AADSTS7000215}
	 * @param instruction what support should do
	 * @param correlationId the provider's correlation id, for its support
	 * @param credential which credential a {@value #CREDENTIALS} check used:
	 * {@code client_secret} or {@code certificate}
	 * @param certificateId the certificate checked, for {@code certificate}
	 * @param thumbprintSha1 its SHA-1 thumbprint, as the Entra admin center lists
	 * certificates
	 * @param thumbprintSha256 its SHA-256 thumbprint
	 */
	public record Check(String check, String status, String summary, @Nullable String value, @Nullable String errorCode,
			@Nullable String instruction, @Nullable String correlationId, @Nullable String credential,
			@Nullable String certificateId, @Nullable String thumbprintSha1, @Nullable String thumbprintSha256) {

		public static final String OK = "ok";

		public static final String FAILED = "failed";

		public static final String SKIPPED = "skipped";

		public static final String INFO = "info";

		/** A check of something other than a credential. */
		public Check(String check, String status, String summary, @Nullable String value, @Nullable String errorCode,
				@Nullable String instruction, @Nullable String correlationId) {
			this(check, status, summary, value, errorCode, instruction, correlationId, null, null, null, null);
		}

		/**
		 * This check, naming the credential it checked ({@code client_secret} or
		 * {@code certificate}).
		 */
		public Check credential(String credential) {
			return new Check(this.check, this.status, this.summary, this.value, this.errorCode, this.instruction,
					this.correlationId, credential, this.certificateId, this.thumbprintSha1, this.thumbprintSha256);
		}

		/**
		 * This check of a certificate credential, naming the certificate by id and both
		 * thumbprints.
		 */
		public Check certificate(String id, String sha1, String sha256) {
			return new Check(this.check, this.status, this.summary, this.value, this.errorCode, this.instruction,
					this.correlationId, "certificate", id, sha1, sha256);
		}

		boolean failed() {
			return FAILED.equals(this.status);
		}

	}

}
