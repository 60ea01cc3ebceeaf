package com.iotorq.lean.gateway.sso.provider;

import java.util.Optional;

import org.jspecify.annotations.Nullable;

/**
 * What a provider's errors mean, in words for the person who meets them: at sign-in, at
 * the group allow-list, and in the verification report for LEAN support.
 */
public interface ProviderMessages {

	/**
	 * Explains an error the provider reported, for the page a person sees.
	 * @param error the OAuth error code
	 * @param description the provider's description, untrusted
	 * @return the explanation, or empty to use the generic one
	 */
	Optional<ProviderError> explain(String error, @Nullable String description);

	/**
	 * Explains why the organisation's group allow-list refused someone, for the page they
	 * see.
	 * @param claims what their token said about their groups
	 */
	ProviderError explainGroupRefusal(GroupClaims claims);

	/**
	 * Explains a failed verification step for LEAN support.
	 * @param step the step that failed
	 * @param status the provider's HTTP status
	 * @param error the OAuth error code, when the provider sent one
	 * @param description the provider's description, untrusted
	 */
	VerificationProblem explainVerification(VerificationStep step, int status, @Nullable String error,
			@Nullable String description);

	/**
	 * What support should check when the discovery document names another issuer than the
	 * one configured, or no token endpoint.
	 */
	String issuerMismatchInstruction();

	/** What support should compare the redirect URI with, in the provider's own terms. */
	String redirectUriInstruction();

}
