package com.iotorq.lean.gateway.tenant;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

import com.iotorq.lean.gateway.secrets.SealedSecret;

/**
 * How an organisation signs its users in: the credentials of its own app registration
 * (the three the help article collects) and the policies around them.
 *
 * @param provider the identity provider type, e.g. {@code entra}
 * @param directoryId the organisation's directory at the provider (Entra: Directory
 * (tenant) ID)
 * @param clientId the app registration's client id (Entra: Application (client) ID)
 * @param clientSecret the client secret, encrypted; {@code null} when none was entered
 * (possible only with {@link CredentialType#CERTIFICATE})
 * @param clientSecretExpiresAt when the secret stops working, if known
 * @param mode whether signing in is required
 * @param provisioning what happens when someone without an account signs in
 * @param updatedAt when the settings last changed
 * @param allowedGroups object ids of the directory groups whose members may use LEAN;
 * empty allows everyone the identity provider signs in
 * @param linkByUsername whether the provider's user name of a member (Entra:
 * {@code preferred_username}) may link an existing account by email when no verified
 * email vouches for it
 * @param credentialType how token requests authenticate the app: the client secret or the
 * organisation's active certificate
 * @param oidc what a generic OpenID Connect provider ({@code oidc}) needs beyond these,
 * with {@link #directoryId()} its issuer; {@code null} for Entra
 */
public record SsoSettings(String provider, String directoryId, String clientId, @Nullable SealedSecret clientSecret,
		@Nullable LocalDate clientSecretExpiresAt, Mode mode, Provisioning provisioning, Instant updatedAt,
		List<String> allowedGroups, boolean linkByUsername, CredentialType credentialType, @Nullable OidcOptions oidc) {

	public SsoSettings {
		allowedGroups = List.copyOf(allowedGroups);
		if (clientSecret == null && credentialType == CredentialType.CLIENT_SECRET) {
			throw new IllegalArgumentException("a client secret credential needs a client secret");
		}
	}

	/** Settings without provider options (Entra's). */
	public SsoSettings(String provider, String directoryId, String clientId, @Nullable SealedSecret clientSecret,
			@Nullable LocalDate clientSecretExpiresAt, Mode mode, Provisioning provisioning, Instant updatedAt,
			List<String> allowedGroups, boolean linkByUsername, CredentialType credentialType) {
		this(provider, directoryId, clientId, clientSecret, clientSecretExpiresAt, mode, provisioning, updatedAt,
				allowedGroups, linkByUsername, credentialType, null);
	}

	/**
	 * The client secret of settings that authenticate with it.
	 * @throws IllegalStateException when there is none (possible only with
	 * {@link CredentialType#CERTIFICATE})
	 */
	public SealedSecret requiredClientSecret() {
		Assert.state(this.clientSecret != null, "These SSO settings have no client secret");
		return this.clientSecret;
	}

	/**
	 * The options of a generic OpenID Connect provider, the defaults when none are
	 * stored.
	 */
	public OidcOptions oidcOptions() {
		return (this.oidc != null) ? this.oidc : OidcOptions.defaults();
	}

	/** Settings that authenticate with the client secret. */
	public SsoSettings(String provider, String directoryId, String clientId, SealedSecret clientSecret,
			@Nullable LocalDate clientSecretExpiresAt, Mode mode, Provisioning provisioning, Instant updatedAt,
			List<String> allowedGroups, boolean linkByUsername) {
		this(provider, directoryId, clientId, clientSecret, clientSecretExpiresAt, mode, provisioning, updatedAt,
				allowedGroups, linkByUsername, CredentialType.CLIENT_SECRET);
	}

	/** Settings that link accounts only by verified emails. */
	public SsoSettings(String provider, String directoryId, String clientId, SealedSecret clientSecret,
			@Nullable LocalDate clientSecretExpiresAt, Mode mode, Provisioning provisioning, Instant updatedAt,
			List<String> allowedGroups) {
		this(provider, directoryId, clientId, clientSecret, clientSecretExpiresAt, mode, provisioning, updatedAt,
				allowedGroups, false);
	}

	/** Settings without a group allow-list. */
	public SsoSettings(String provider, String directoryId, String clientId, SealedSecret clientSecret,
			@Nullable LocalDate clientSecretExpiresAt, Mode mode, Provisioning provisioning, Instant updatedAt) {
		this(provider, directoryId, clientId, clientSecret, clientSecretExpiresAt, mode, provisioning, updatedAt,
				List.of());
	}

	/**
	 * How the gateway authenticates to the identity provider's token endpoint, as the
	 * admin API spells it ({@link #value()}).
	 */
	public enum CredentialType {

		/** {@code client_secret_post} with the stored client secret (the default). */
		CLIENT_SECRET("client_secret"),
		/**
		 * {@code private_key_jwt}: a client assertion signed with the private key of the
		 * organisation's ACTIVE certificate, whose public part is uploaded to the app
		 * registration.
		 */
		CERTIFICATE("certificate");

		private final String value;

		CredentialType(String value) {
			this.value = value;
		}

		/** The name in the admin API and the database, e.g. {@code client_secret}. */
		public String value() {
			return this.value;
		}

		/**
		 * @return the type with this {@link #value()}, or {@code null}
		 */
		public static @Nullable CredentialType of(@Nullable String value) {
			for (CredentialType type : values()) {
				if (type.value.equals(value)) {
					return type;
				}
			}
			return null;
		}

	}

	public enum Mode {

		/**
		 * Every path except the gateway's own and the public ones needs a signed-in user.
		 */
		REQUIRED,
		/**
		 * Signing in is offered; anonymous requests are forwarded without identity, and
		 * the backend's password login page shows a chooser first (while an organisation
		 * migrates).
		 */
		OPTIONAL

	}

	public enum Provisioning {

		/** Only people who already have a LEAN account may sign in. */
		EXISTING_ONLY,
		/** A first sign-in creates an active account. */
		AUTO_ACTIVATE,
		/** A first sign-in creates an account that must be activated first. */
		PENDING_ACTIVATION

	}

}
