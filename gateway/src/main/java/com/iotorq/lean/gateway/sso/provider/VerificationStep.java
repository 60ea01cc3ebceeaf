package com.iotorq.lean.gateway.sso.provider;

/**
 * The steps of verifying an organisation's SSO credentials against its identity provider.
 */
public enum VerificationStep {

	/** The directory exists: its discovery document can be read. */
	DIRECTORY,
	/** The provider's signing keys can be read: its JWKS holds a usable public key. */
	KEYS,
	/**
	 * The client id and secret are accepted: a client-credentials token request succeeds.
	 */
	CREDENTIALS

}
