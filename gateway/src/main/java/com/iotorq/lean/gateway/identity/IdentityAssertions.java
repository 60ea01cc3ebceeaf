package com.iotorq.lean.gateway.identity;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import com.iotorq.lean.gateway.account.LeanUser;

/**
 * Signs {@code X-Lean-Identity}: a short-lived ES256 JWT saying who the signed-in user
 * is, so a backend can verify the gateway's word instead of trusting a header. One
 * assertion is reused for a user's session until it nears expiry, so signing stays off
 * the per-request path.
 */
public final class IdentityAssertions {

	/**
	 * Reissue this long before an assertion expires, so a backend never receives a stale
	 * one.
	 */
	private static final Duration RENEW_BEFORE_EXPIRY = Duration.ofSeconds(60);

	private final IdentityKeys keys;

	private final IdentityProperties properties;

	private final Clock clock;

	private final ECDSASigner signer;

	private final JWSHeader header;

	private final Cache<CacheKey, String> issued;

	public IdentityAssertions(IdentityKeys keys, IdentityProperties properties, Clock clock) {
		this.keys = keys;
		this.properties = properties;
		this.clock = clock;
		try {
			this.signer = new ECDSASigner(keys.signingKey());
		}
		catch (JOSEException ex) {
			throw new IllegalStateException("The identity signing key cannot sign", ex);
		}
		this.header = new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(keys.signingKey().getKeyID())
			.type(JOSEObjectType.JWT)
			.build();
		Duration reuse = properties.lifetime().minus(RENEW_BEFORE_EXPIRY);
		this.issued = Caffeine.newBuilder()
			.maximumSize(100_000)
			.expireAfterWrite(reuse.isNegative() || reuse.isZero() ? Duration.ofSeconds(1) : reuse)
			.build();
	}

	/** The assertion for this user, signed at most once per reuse period. */
	public String assertionFor(LeanUser user) {
		return this.issued.get(new CacheKey(user.accountId(), user.tenantSlug(), user.signedInAt()), key -> sign(user));
	}

	private String sign(LeanUser user) {
		Instant now = this.clock.instant();
		JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().issuer(this.properties.issuer())
			.audience(this.properties.audience())
			.subject(user.accountId().toString())
			.issueTime(Date.from(now))
			.notBeforeTime(Date.from(now))
			.expirationTime(Date.from(now.plus(this.properties.lifetime())))
			.jwtID(UUID.randomUUID().toString())
			.claim("tenant", user.tenantSlug())
			.claim("email", user.email())
			.claim("idp_iss", user.idpIssuer())
			.claim("idp_tid", user.idpDirectoryId())
			.claim("idp_oid", user.idpObjectId());
		if (user.displayName() != null) {
			claims.claim("name", user.displayName());
		}
		SignedJWT jwt = new SignedJWT(this.header, claims.build());
		try {
			jwt.sign(this.signer);
		}
		catch (JOSEException ex) {
			throw new IllegalStateException("Signing the identity assertion failed", ex);
		}
		return jwt.serialize();
	}

	@Override
	public String toString() {
		return "IdentityAssertions[kid=" + this.keys.signingKey().getKeyID() + "]";
	}

	private record CacheKey(UUID accountId, String tenant, Instant signedInAt) {
	}

}
