package com.iotorq.lean.gateway.test;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import com.iotorq.lean.gateway.secrets.SealedSecret;
import com.iotorq.lean.gateway.tenant.OidcOptions;
import com.iotorq.lean.gateway.tenant.SsoSettings;
import com.iotorq.lean.gateway.tenant.SsoSettings.CredentialType;
import com.iotorq.lean.gateway.tenant.SsoSettings.Mode;
import com.iotorq.lean.gateway.tenant.SsoSettings.Provisioning;

/**
 * SSO settings for unit tests, as builders: {@code entra().mode(Mode.OPTIONAL).build()}.
 * A test sets what it depends on; the defaults are sign-in required, existing accounts
 * only, a (sealed, meaningless) client secret with no known expiry, no group allow-list,
 * linking by verified emails only.
 */
public final class TestSsoSettings {

	/** When the default settings last changed. */
	public static final Instant UPDATED = TestTenants.CREATED;

	private TestSsoSettings() {
	}

	/** Microsoft Entra settings with a random directory (tenant) and client id. */
	public static Builder entra() {
		return new Builder("entra", UUID.randomUUID().toString(), null);
	}

	/**
	 * Settings of a generic OpenID Connect provider at {@code https://idp.example}, with
	 * the default options.
	 */
	public static Builder oidc() {
		return new Builder("oidc", "https://idp.example", OidcOptions.defaults());
	}

	public static final class Builder {

		private final String provider;

		private String directoryId;

		private String clientId = UUID.randomUUID().toString();

		private @Nullable SealedSecret clientSecret = new SealedSecret("k1", new byte[] { 1 });

		private @Nullable LocalDate clientSecretExpiresAt;

		private Mode mode = Mode.REQUIRED;

		private Provisioning provisioning = Provisioning.EXISTING_ONLY;

		private Instant updatedAt = UPDATED;

		private List<String> allowedGroups = List.of();

		private boolean linkByUsername;

		private CredentialType credentialType = CredentialType.CLIENT_SECRET;

		private @Nullable OidcOptions oidc;

		private Builder(String provider, String directoryId, @Nullable OidcOptions oidc) {
			this.provider = provider;
			this.directoryId = directoryId;
			this.oidc = oidc;
		}

		/** The directory (Entra) or issuer (generic OIDC). */
		public Builder directoryId(String directoryId) {
			this.directoryId = directoryId;
			return this;
		}

		public Builder clientId(String clientId) {
			this.clientId = clientId;
			return this;
		}

		public Builder clientSecret(@Nullable SealedSecret clientSecret) {
			this.clientSecret = clientSecret;
			return this;
		}

		public Builder clientSecretExpiresAt(@Nullable LocalDate clientSecretExpiresAt) {
			this.clientSecretExpiresAt = clientSecretExpiresAt;
			return this;
		}

		public Builder mode(Mode mode) {
			this.mode = mode;
			return this;
		}

		public Builder provisioning(Provisioning provisioning) {
			this.provisioning = provisioning;
			return this;
		}

		public Builder updatedAt(Instant updatedAt) {
			this.updatedAt = updatedAt;
			return this;
		}

		public Builder allowedGroups(String... allowedGroups) {
			this.allowedGroups = List.of(allowedGroups);
			return this;
		}

		public Builder linkByUsername(boolean linkByUsername) {
			this.linkByUsername = linkByUsername;
			return this;
		}

		/**
		 * Token requests authenticate with the organisation's certificate; no client
		 * secret.
		 */
		public Builder certificate() {
			this.credentialType = CredentialType.CERTIFICATE;
			this.clientSecret = null;
			return this;
		}

		public Builder oidcOptions(@Nullable OidcOptions oidc) {
			this.oidc = oidc;
			return this;
		}

		public SsoSettings build() {
			return new SsoSettings(this.provider, this.directoryId, this.clientId, this.clientSecret,
					this.clientSecretExpiresAt, this.mode, this.provisioning, this.updatedAt, this.allowedGroups,
					this.linkByUsername, this.credentialType, this.oidc);
		}

	}

}
