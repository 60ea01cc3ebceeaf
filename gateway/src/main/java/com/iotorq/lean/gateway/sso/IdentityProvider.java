package com.iotorq.lean.gateway.sso;

import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.security.oauth2.jwt.Jwt;

import com.iotorq.lean.gateway.tenant.SsoSettings;

/**
 * One kind of OpenID Connect identity provider. Everything that differs between providers
 * lives behind this interface, so the sign-in flow has no provider-specific branches.
 * Implementations are collected by {@link #type()}.
 */
public interface IdentityProvider {

	/** The value of {@code provider} in the SSO settings, e.g. {@code entra}. */
	String type();

	/** The name of the admin API field that carries {@link SsoSettings#directoryId()}. */
	String directoryIdField();

	/** @return what is wrong with a directory id, or empty when it is acceptable */
	Optional<String> checkDirectoryId(String directoryId);

	/** @return what is wrong with a client id, or empty when it is acceptable */
	Optional<String> checkClientId(String clientId);

	/**
	 * @return what is wrong with a client secret, or empty when it looks acceptable; used to
	 * catch secrets copied from the wrong place
	 */
	Optional<String> checkClientSecret(String clientSecret);

	/** The issuer whose discovery document and keys the organisation's tokens come from. */
	URI issuer(SsoSettings settings);

	/** Scopes requested at sign-in. */
	Set<String> scopes();

	/** Checks of ID tokens beyond OpenID Connect's, e.g. the directory claim. */
	List<OAuth2TokenValidator<Jwt>> idTokenValidators(SsoSettings settings);

	/**
	 * Reads the person's lasting identity from a validated ID token, and whether the directory
	 * vouches for their email address.
	 * @param settings the organisation's settings, e.g. whether it trusts user names as emails
	 */
	SignInIdentity identity(OidcUser user, SsoSettings settings);

	/**
	 * Explains an error the provider reported, for the page a person sees.
	 * @param error the OAuth error code
	 * @param description the provider's description, untrusted
	 * @return the explanation, or empty to use the generic one
	 */
	Optional<ProviderError> explain(String error, @Nullable String description);

	/** Where an administrator grants consent for the whole organisation. */
	URI adminConsentUri(SsoSettings settings, String redirectUri, String state);

	/** @return what is wrong with a group id of the allow-list, or empty when it is acceptable */
	Optional<String> checkGroupId(String groupId);

	/** What a validated ID token says about the person's groups. */
	GroupClaims groups(OidcUser user);

	/**
	 * Explains why the organisation's group allow-list refused someone, for the page they see.
	 * @param claims what their token said about their groups
	 */
	ProviderError explainGroupRefusal(GroupClaims claims);

	/**
	 * The provider's own id of the ID token, which its sign-in logs show (Entra: {@code uti}, the
	 * "Unique token identifier"); never the token itself.
	 */
	Optional<String> tokenId(OidcUser user);

	/**
	 * The scope of a client-credentials token request that proves the client id and secret
	 * without a user, e.g. Entra's {@code https://graph.microsoft.com/.default}.
	 */
	String credentialCheckScope();

	/**
	 * Explains a failed verification step for LEAN support.
	 * @param step the step that failed
	 * @param status the provider's HTTP status
	 * @param error the OAuth error code, when the provider sent one
	 * @param description the provider's description, untrusted
	 */
	VerificationProblem explainVerification(VerificationStep step, int status, @Nullable String error,
			@Nullable String description);

	/** What support should compare the redirect URI with, in the provider's own terms. */
	String redirectUriInstruction();

}
