package com.iotorq.lean.gateway.account;

import org.jspecify.annotations.Nullable;

/**
 * Who signed in, as the identity provider's ID token says.
 *
 * @param issuer the token's issuer
 * @param directoryId the directory the person belongs to (Entra {@code tid})
 * @param objectId the person's immutable id in that directory (Entra {@code oid})
 * @param email an email address, when the provider knows one; for matching an existing
 * account on first sign-in only, never as a lasting key
 * @param emailVerified whether the directory vouches for {@code email} (or the
 * organisation chose to trust its user names), so that it may link an existing account or
 * name a new active one; an unvouched email only names a new account that waits for its
 * activation mail
 * @param displayName the person's name, for display
 */
public record SignInIdentity(String issuer, String directoryId, String objectId, @Nullable String email,
		boolean emailVerified, @Nullable String displayName) {
}
