package com.iotorq.lean.gateway.tenant;

import java.util.List;

/**
 * The settings a generic OpenID Connect provider has beyond Entra's (the issuer itself is
 * {@link SsoSettings#directoryId()}): providers differ in the claims they send and in
 * what they vouch for, so the organisation names them.
 *
 * @param scopes the scopes requested at sign-in, {@code openid} among them
 * @param claims which claims carry the person's id, email, name and groups
 * @param requireVerifiedEmail whether {@code email_verified} must be {@code true} before
 * the email links an existing account or names a new active one
 * @param allowedEmailDomains the email domains that may sign in (lower case), empty for
 * any; the {@code hd} claim (Google Workspace's hosted domain), when sent, must be one of
 * them too
 */
public record OidcOptions(List<String> scopes, Claims claims, boolean requireVerifiedEmail,
		List<String> allowedEmailDomains) {

	public static final List<String> DEFAULT_SCOPES = List.of("openid", "profile", "email");

	public OidcOptions {
		scopes = List.copyOf(scopes);
		allowedEmailDomains = List.copyOf(allowedEmailDomains);
	}

	/**
	 * The defaults: {@code openid profile email}, standard claim names, verified emails
	 * only.
	 */
	public static OidcOptions defaults() {
		return new OidcOptions(DEFAULT_SCOPES, Claims.DEFAULTS, true, List.of());
	}

	/**
	 * The names of the claims to read.
	 *
	 * @param userId the person's lasting id at the provider (default {@code sub})
	 * @param email their email (default {@code email})
	 * @param name their display name (default {@code name})
	 * @param groups the list of their groups (default {@code groups})
	 */
	public record Claims(String userId, String email, String name, String groups) {

		public static final Claims DEFAULTS = new Claims("sub", "email", "name", "groups");

	}

}
