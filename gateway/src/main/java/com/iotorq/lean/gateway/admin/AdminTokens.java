package com.iotorq.lean.gateway.admin;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks admin bearer tokens in constant time and names callers by a fingerprint, so
 * audit rows and logs can tell tokens apart without ever holding one.
 */
public final class AdminTokens {

	private static final Logger logger = LoggerFactory.getLogger(AdminTokens.class);

	private static final int SHORT_TOKEN = 32;

	private final List<byte[]> digests;

	public AdminTokens(List<String> tokens) {
		this.digests = tokens.stream().map(String::strip).filter(t -> !t.isEmpty()).map(AdminTokens::sha256).toList();
		if (this.digests.isEmpty()) {
			throw new IllegalArgumentException("no admin token is configured: set LEAN_ADMIN_TOKENS");
		}
		tokens.stream()
			.filter(t -> t.strip().length() < SHORT_TOKEN)
			.forEach(t -> logger.warn("Admin token {} is shorter than {} characters; use a long random token",
					fingerprint(t.strip()), SHORT_TOKEN));
	}

	/**
	 * @param presented the token a caller sent
	 * @return the token's fingerprint when it is one of the configured tokens
	 */
	public Optional<String> authenticate(String presented) {
		byte[] digest = sha256(presented);
		boolean match = false;
		for (byte[] candidate : this.digests) {
			// no early exit: the time taken does not tell which token, or how much,
			// matched
			match |= MessageDigest.isEqual(candidate, digest);
		}
		return match ? Optional.of(fingerprint(presented)) : Optional.empty();
	}

	/**
	 * A short, stable, non-reversible name for a token, e.g. {@code token:1f2e3d4c5b6a}.
	 */
	public static String fingerprint(String token) {
		return "token:" + HexFormat.of().formatHex(sha256(token), 0, 6);
	}

	private static byte[] sha256(String value) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
