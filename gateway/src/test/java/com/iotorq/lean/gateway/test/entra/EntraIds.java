package com.iotorq.lean.gateway.test.entra;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.UUID;

/** Random identifiers shaped like Entra's. */
final class EntraIds {

	private static final SecureRandom random = new SecureRandom();

	private EntraIds() {
	}

	/** A random UUID string (trace ids, correlation ids, session state). */
	static String uuid() {
		return UUID.randomUUID().toString();
	}

	/** {@code bytes} random bytes, base64url without padding. */
	static String opaque(int bytes) {
		byte[] value = new byte[bytes];
		random.nextBytes(value);
		return Base64.getUrlEncoder().withoutPadding().encodeToString(value);
	}

}
