package com.iotorq.lean.gateway.test.entra;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;

import com.nimbusds.jwt.JWTClaimsSet;

/**
 * Mints ID tokens shaped like those of Entra v2.0 for a single-tenant app: RS256 with a
 * {@code kid}, claims
 * {@code aud iss iat nbf exp aio email name nonce oid preferred_username rh sub tid uti ver},
 * and applies the pending {@link IdTokenTampering}.
 */
final class IdTokens {

	private static final Duration lifetime = Duration.ofHours(1);

	private final EntraKeys keys;

	private final IdTokenTampering tampering;

	private final EntraClock clock;

	IdTokens(EntraKeys keys, IdTokenTampering tampering, EntraClock clock) {
		this.keys = keys;
		this.tampering = tampering;
		this.clock = clock;
	}

	/**
	 * A serialized ID token for this user signing in to this app.
	 * @param nonce the authorize request's nonce, echoed; {@code null} omits the claim
	 */
	String mint(TestEntraApp app, TestEntraUser user, String nonce) {
		JWTClaimsSet claims = this.tampering.claims(claims(app, user, nonce));
		return this.keys.serialize(claims, this.tampering.signing());
	}

	private JWTClaimsSet.Builder claims(TestEntraApp app, TestEntraUser user, String nonce) {
		Instant now = this.clock.now();
		JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().audience(app.clientId())
			.issuer(user.directory().issuer())
			.issueTime(Date.from(now))
			.notBeforeTime(Date.from(now))
			.expirationTime(Date.from(now.plus(lifetime)))
			.claim("aio", EntraIds.opaque(96));
		if (user.email() != null) {
			claims.claim("email", user.email());
		}
		claims.claim("name", user.name());
		if (nonce != null) {
			claims.claim("nonce", nonce);
		}
		user.claims().forEach(claims::claim);
		return claims.claim("oid", user.oid())
			.claim("preferred_username", user.upn())
			.claim("rh", "1.A" + EntraIds.opaque(48) + ".")
			.subject(user.pairwiseSubject(app.clientId()))
			.claim("tid", user.directory().tid())
			.claim("uti", EntraIds.opaque(16))
			.claim("ver", "2.0");
	}

}
