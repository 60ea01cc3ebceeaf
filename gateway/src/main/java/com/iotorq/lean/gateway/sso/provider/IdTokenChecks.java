package com.iotorq.lean.gateway.sso.provider;

import org.jspecify.annotations.Nullable;

import org.springframework.security.oauth2.core.OAuth2Error;

/**
 * The claim-specific error codes of a rejected ID token, {@code invalid_id_token.<check>}
 * (e.g. {@code invalid_id_token.tid}): each check says which one failed in its code, so
 * that nothing has to read a library's message text to tell them apart. Used by the
 * providers' own checks and by the decoder's, read when a failed sign-in is classified.
 */
public final class IdTokenChecks {

	/**
	 * The OAuth error code of an ID token that failed validation, as Spring Security
	 * reports it.
	 */
	public static final String INVALID_ID_TOKEN = "invalid_id_token";

	private static final String CHECK_PREFIX = INVALID_ID_TOKEN + ".";

	private IdTokenChecks() {
	}

	/**
	 * The error of an ID token that failed one check.
	 * @param check what was checked: a claim (e.g. {@code tid}), {@code signature},
	 * {@code alg} or {@code kid}
	 * @param description for operators, never shown to the person
	 */
	public static OAuth2Error rejected(String check, String description) {
		return new OAuth2Error(CHECK_PREFIX + check, description, null);
	}

	/** The check an error of {@link #rejected} names, or null for any other error. */
	public static @Nullable String checkOf(OAuth2Error error) {
		String code = error.getErrorCode();
		return (code.startsWith(CHECK_PREFIX) && code.length() > CHECK_PREFIX.length())
				? code.substring(CHECK_PREFIX.length()) : null;
	}

}
