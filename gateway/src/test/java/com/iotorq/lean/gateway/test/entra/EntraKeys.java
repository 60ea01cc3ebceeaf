package com.iotorq.lean.gateway.test.entra;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.PlainHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;

/**
 * The signing keys, shared by all directories as in Entra: the active key, the keys the
 * JWKS lists, the pre-generated next key (signs {@link TestEntra.Signing#UNKNOWN_KID}
 * tokens until {@link #rotate} makes it active) and an impostor key for
 * {@link TestEntra.Signing#WRONG_KEY}.
 * <p>
 * RSA keys are generated on the caller's thread ({@link #prepare}, {@link #rotate},
 * construction), so signing on the event loop does not normally stall on key generation.
 */
final class EntraKeys {

	private RSAKey active;

	private List<RSAKey> published;

	private RSAKey next;

	private RSAKey impostor;

	EntraKeys() {
		this.active = generate();
		this.published = List.of(this.active);
	}

	/**
	 * Generates the key a coming {@link TestEntra.Signing} will need, so signing does not
	 * have to.
	 */
	synchronized void prepare(TestEntra.Signing signing) {
		if (signing == TestEntra.Signing.UNKNOWN_KID && this.next == null) {
			this.next = generate();
		}
		if (signing == TestEntra.Signing.WRONG_KEY && this.impostor == null) {
			this.impostor = generate();
		}
	}

	/**
	 * Makes the next key active; the JWKS lists it, plus what it listed before if
	 * {@code keepOld}.
	 */
	synchronized void rotate(boolean keepOld) {
		prepare(TestEntra.Signing.UNKNOWN_KID);
		List<RSAKey> keys = new ArrayList<>();
		keys.add(this.next);
		if (keepOld) {
			keys.addAll(this.published);
		}
		this.active = this.next;
		this.published = List.copyOf(keys);
		this.next = null;
	}

	/**
	 * The JWKS document of a directory: the published public keys, each naming the
	 * directory's issuer.
	 */
	synchronized Map<String, Object> jwks(String issuer) {
		List<Map<String, Object>> keys = new ArrayList<>();
		for (RSAKey key : this.published) {
			Map<String, Object> jwk = new LinkedHashMap<>(key.toPublicJWK().toJSONObject());
			jwk.put("issuer", issuer);
			keys.add(jwk);
		}
		return Map.of("keys", keys);
	}

	/** The compact serialization of a JWT with these claims, signed the given way. */
	String serialize(JWTClaimsSet claims, TestEntra.Signing signing) {
		if (signing == TestEntra.Signing.ALG_NONE) {
			return new PlainJWT(new PlainHeader.Builder().type(JOSEObjectType.JWT).build(), claims).serialize();
		}
		return sign(claims, signingKey(signing));
	}

	private synchronized RSAKey signingKey(TestEntra.Signing signing) {
		prepare(signing); // normally done already on the test thread; this covers a
							// rotation in between
		switch (signing) {
			case WRONG_KEY:
				return new RSAKey.Builder(this.impostor).keyID(this.active.getKeyID()).build();
			case UNKNOWN_KID:
				return this.next;
			default:
				return this.active;
		}
	}

	private static String sign(JWTClaimsSet claims, RSAKey key) {
		JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.RS256).type(JOSEObjectType.JWT)
			.keyID(key.getKeyID())
			.build();
		SignedJWT jwt = new SignedJWT(header, claims);
		try {
			jwt.sign(new RSASSASigner(key));
		}
		catch (JOSEException ex) {
			throw new IllegalStateException("cannot sign a test ID token", ex);
		}
		return jwt.serialize();
	}

	/**
	 * A 2048-bit RSA signing key with a 27-character kid like Entra's (a base64url SHA-1
	 * thumbprint).
	 */
	private static RSAKey generate() {
		try {
			return new RSAKeyGenerator(2048).keyID(EntraIds.opaque(20)).keyUse(KeyUse.SIGNATURE).generate();
		}
		catch (JOSEException ex) {
			throw new IllegalStateException("cannot generate a test RSA key", ex);
		}
	}

}
