package com.iotorq.lean.gateway.test.entra;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The authorization codes of one directory: single-use, valid for 10 minutes, each
 * remembering what the authorize request bound it to. Thread-safe; redemption is atomic.
 */
final class AuthorizationCodes {

	static final Duration lifetime = Duration.ofMinutes(10);

	private final Map<String, Grant> pending = new ConcurrentHashMap<>();

	private final Set<String> redeemed = ConcurrentHashMap.newKeySet();

	/** A new code for this grant. */
	String issue(Grant grant) {
		String code = "1.A" + EntraIds.opaque(160);
		this.pending.put(code, grant);
		return code;
	}

	/** The grant behind a code that is still valid at {@code now}, or {@code null}. */
	Grant find(String code, Instant now) {
		Grant grant = (code != null) ? this.pending.get(code) : null;
		return (grant != null && now.isBefore(grant.expiresAt())) ? grant : null;
	}

	/** Whether this code was redeemed already. */
	boolean wasRedeemed(String code) {
		return this.redeemed.contains(code);
	}

	/** Uses the code up; {@code false} if another request redeemed it first. */
	boolean redeem(String code, Grant grant) {
		if (!this.pending.remove(code, grant)) {
			return false;
		}
		this.redeemed.add(code);
		return true;
	}

	/**
	 * What an authorization code stands for.
	 *
	 * @param clientId the app it was issued to
	 * @param redirectUri the redirect URI of the authorize request
	 * @param nonce the authorize request's nonce, or {@code null}
	 * @param codeChallenge the PKCE challenge, or {@code null}
	 * @param codeChallengeMethod {@code S256}, {@code plain}, or {@code null} (plain)
	 * @param user who signed in
	 * @param expiresAt when the code stops being redeemable
	 */
	record Grant(String clientId, String redirectUri, String nonce, String codeChallenge, String codeChallengeMethod,
			TestEntraUser user, Instant expiresAt) {

		/**
		 * Whether a token request's {@code code_verifier} satisfies PKCE: always without
		 * a challenge; otherwise the verifier is required and must match ({@code S256}:
		 * base64url(SHA-256(verifier)); {@code plain} or no method: equal).
		 */
		boolean verifiedBy(String codeVerifier) {
			if (this.codeChallenge == null) {
				return true;
			}
			if (codeVerifier == null) {
				return false;
			}
			if ("S256".equals(this.codeChallengeMethod)) {
				return this.codeChallenge.equals(s256(codeVerifier));
			}
			return (this.codeChallengeMethod == null || "plain".equals(this.codeChallengeMethod))
					&& this.codeChallenge.equals(codeVerifier);
		}

		private static String s256(String verifier) {
			try {
				byte[] ascii = verifier.getBytes(StandardCharsets.US_ASCII);
				byte[] digest = MessageDigest.getInstance("SHA-256").digest(ascii);
				return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
			}
			catch (NoSuchAlgorithmException ex) {
				throw new IllegalStateException(ex);
			}
		}

	}

}
