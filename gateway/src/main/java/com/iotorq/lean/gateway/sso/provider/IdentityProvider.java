package com.iotorq.lean.gateway.sso.provider;

import org.jspecify.annotations.Nullable;

/**
 * One kind of OpenID Connect identity provider. Everything that differs between providers
 * lives behind this interface, split by job ({@link ProviderSignIn signing in},
 * {@link ProviderSettings checking settings}, {@link ProviderMessages messages}), so the
 * sign-in flow and the admin API have no provider-specific branches.
 * {@link OidcIdentityProvider} is any standard provider;
 * {@link com.iotorq.lean.gateway.sso.provider.entra.EntraIdentityProvider} specialises
 * it. Implementations are collected by {@link #type()}.
 */
public interface IdentityProvider extends ProviderSignIn, ProviderSettings, ProviderMessages {

	/** The value of {@code provider} in the SSO settings, e.g. {@code entra}. */
	String type();

	/**
	 * The scope of a client-credentials token request that proves the client id and
	 * secret without a user, e.g. Entra's {@code https://graph.microsoft.com/.default};
	 * {@code null} to send none.
	 */
	@Nullable String credentialCheckScope();

	/**
	 * Whether verification proves the client's credentials with a
	 * {@code client_credentials} request (else with the redemption of an invalid code,
	 * whose error tells wrong credentials from right ones).
	 * @param discovery the provider's discovery document
	 */
	boolean checksCredentialsWithClientCredentials(java.util.Map<String, Object> discovery);

	/**
	 * Whether a {@code client_credentials} check that failed with this error may still
	 * mean the credentials are right (the client is only not allowed that grant, e.g.
	 * Keycloak's {@code unauthorized_client} without a service account), so that
	 * verification redeems an invalid code to tell.
	 * @param error the OAuth error code of the failed check, if any
	 */
	boolean redeemsInvalidCodeAfter(@Nullable String error);

	/**
	 * Whether verification checks the provider's signing keys (its JWKS) as a step of its
	 * own.
	 */
	boolean verifiesSigningKeys();

}
