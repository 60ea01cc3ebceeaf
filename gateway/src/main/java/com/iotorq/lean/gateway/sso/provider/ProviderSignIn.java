package com.iotorq.lean.gateway.sso.provider;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;

import com.iotorq.lean.gateway.account.SignInIdentity;
import com.iotorq.lean.gateway.tenant.SsoSettings;

/**
 * What a provider contributes to signing someone in: where its tokens come from, how they
 * are checked, and how a validated token names the person and their groups.
 */
public interface ProviderSignIn {

	/**
	 * The issuer whose discovery document and keys the organisation's tokens come from.
	 */
	URI issuer(SsoSettings settings);

	/**
	 * The directory part of the identity accounts are linked to, as {@link #identity}
	 * records it (Entra: the tenant id in lower case; others: the issuer as entered).
	 */
	String linkedDirectory(SsoSettings settings);

	/** Scopes requested at sign-in. */
	Set<String> scopes(SsoSettings settings);

	/**
	 * The algorithms an ID token may be signed with: asymmetric ones only, never
	 * {@code none} or an HMAC (whose key would be the client secret).
	 * @param discovery the provider's discovery document
	 */
	Set<SignatureAlgorithm> idTokenAlgorithms(Map<String, Object> discovery);

	/** Checks of ID tokens beyond OpenID Connect's, e.g. the directory claim. */
	List<OAuth2TokenValidator<Jwt>> idTokenValidators(SsoSettings settings);

	/**
	 * Reads the person's lasting identity from a validated ID token, and whether the
	 * directory vouches for their email address.
	 * @param settings the organisation's settings, e.g. whether it trusts user names as
	 * emails
	 */
	SignInIdentity identity(OidcUser user, SsoSettings settings);

	/**
	 * Refuses a person the organisation's settings keep out before any account is looked
	 * at (e.g. an email domain that is not allowed); groups are {@link #groups}' job.
	 * @return why the person is refused, or empty to let them on
	 */
	Optional<ProviderError> refusal(OidcUser user, SsoSettings settings);

	/** What a validated ID token says about the person's groups. */
	GroupClaims groups(OidcUser user, SsoSettings settings);

	/**
	 * The provider's own id of the ID token, which its sign-in logs show (Entra:
	 * {@code uti}, the "Unique token identifier"); never the token itself.
	 */
	Optional<String> tokenId(OidcUser user);

	/**
	 * Where an administrator grants consent for the whole organisation; empty where
	 * providers have no such page.
	 */
	Optional<URI> adminConsentUri(SsoSettings settings, String redirectUri, String state);

}
