package com.iotorq.lean.gateway.setup;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import com.iotorq.lean.gateway.onboarding.SsoVerification;
import com.iotorq.lean.gateway.secrets.SealedSecret;
import com.iotorq.lean.gateway.tenant.SsoSettings;

/**
 * A setup session as stored: the link it was opened with, its CSRF token, the draft and
 * what has been found out about the draft so far.
 *
 * @param idHash SHA-256 of the id in the cookie
 * @param linkId the link that opened it: its audit rows say "via setup link {linkId}"
 * @param tenantId the organisation
 * @param csrfToken the token every form of the page must send back
 * @param expiresAt when it ends
 * @param draft the credentials entered so far
 * @param draftVersion counts every change of the draft
 * @param verification the last verification of the draft (of {@code draftVersion}), if
 * any
 * @param consent the last admin consent answer, if any
 * @param test the last test sign-in, if any
 * @param testDraftVersion the draft version the test sign-in ran with
 * @param activatedAt when the draft was made live through this session
 */
record SetupSession(byte[] idHash, UUID linkId, UUID tenantId, String csrfToken, Instant expiresAt, Draft draft,
		int draftVersion, @Nullable SsoVerification verification, @Nullable ConsentResult consent,
		@Nullable TestSignInResult test, @Nullable Integer testDraftVersion, @Nullable Instant activatedAt) {

	/** What {@code "via setup link {id}"} audit rows name as the actor. */
	String actor() {
		return "via setup link " + this.linkId;
	}

	/**
	 * Whether the last test sign-in succeeded with the draft as it is now: the condition
	 * for Activate.
	 */
	boolean testedOk() {
		return this.test != null && this.test.ok() && this.testDraftVersion != null
				&& this.testDraftVersion == this.draftVersion;
	}

	/** Whether the last verification is of the draft as it is now. */
	@Nullable SsoVerification currentVerification() {
		return (this.verification != null && this.draft.complete()) ? this.verification : null;
	}

	/**
	 * @param provider the identity provider type, e.g. {@code entra}
	 * @param directoryId Entra: Directory (tenant) ID
	 * @param clientId Entra: Application (client) ID
	 * @param clientSecret sealed for the organisation like a live secret; never shown
	 * @param clientSecretExpiresAt when the secret stops working
	 * @param credentialType which credential the draft authenticates with
	 * @param certificateId the certificate generated on this page for the draft (PENDING
	 * until the draft is activated), kept also while the draft uses its secret, so
	 * switching back needs no new one
	 */
	record Draft(String provider, @Nullable String directoryId, @Nullable String clientId,
			@Nullable SealedSecret clientSecret, @Nullable LocalDate clientSecretExpiresAt,
			SsoSettings.CredentialType credentialType, @Nullable UUID certificateId) {

		/** A draft that uses a client secret. */
		Draft(String provider, @Nullable String directoryId, @Nullable String clientId,
				@Nullable SealedSecret clientSecret, @Nullable LocalDate clientSecretExpiresAt) {
			this(provider, directoryId, clientId, clientSecret, clientSecretExpiresAt,
					SsoSettings.CredentialType.CLIENT_SECRET, null);
		}

		/**
		 * Whether the IDs and the chosen credential are there: a secret, or a
		 * certificate.
		 */
		boolean complete() {
			return this.directoryId != null && this.clientId != null
					&& (usesCertificate() ? this.certificateId != null : this.clientSecret != null);
		}

		boolean usesCertificate() {
			return this.credentialType == SsoSettings.CredentialType.CERTIFICATE;
		}

		/** This draft with another certificate. */
		Draft withCertificate(@Nullable UUID certificate) {
			return new Draft(this.provider, this.directoryId, this.clientId, this.clientSecret,
					this.clientSecretExpiresAt, this.credentialType, certificate);
		}

	}

	/**
	 * A sign-in or admin consent started at the provider, waiting for its answer at the
	 * callback.
	 *
	 * @param kind {@value #TEST} or {@value #CONSENT}
	 * @param draftVersion the draft it was started with
	 * @param authorizationUri the provider's authorization endpoint (test sign-ins)
	 * @param redirectUri the redirect URI sent
	 * @param scopes the scopes asked for
	 * @param nonce the nonce whose hash was sent (test sign-ins)
	 * @param codeVerifier the PKCE verifier (test sign-ins)
	 */
	record Flow(String kind, int draftVersion, @Nullable String authorizationUri, String redirectUri,
			List<String> scopes, @Nullable String nonce, @Nullable String codeVerifier) {

		static final String TEST = "test";

		static final String CONSENT = "consent";

	}

}
