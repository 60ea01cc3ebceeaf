package com.iotorq.lean.gateway.setup;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * The random values of the setup flow (link tokens, setup session ids, CSRF tokens, the
 * state of a flow at the provider): 256 random bits as base64url, and their SHA-256,
 * which is all the database keeps of a token or session id.
 */
final class SetupTokens {

	/**
	 * What a token looks like: base64url of 32 bytes. Anything else is refused unread.
	 */
	private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{43}");

	private static final SecureRandom random = new SecureRandom();

	private SetupTokens() {
	}

	static String random() {
		byte[] bytes = new byte[32];
		random.nextBytes(bytes);
		return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
	}

	static boolean wellFormed(String token) {
		return TOKEN.matcher(token).matches();
	}

	static byte[] hash(String token) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is part of every Java runtime", ex);
		}
	}

	/** Compares two secrets without telling by its timing how much of them matched. */
	static boolean same(String expected, String given) {
		return MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
				given.getBytes(StandardCharsets.US_ASCII));
	}

}
