package com.iotorq.lean.gateway.credentials;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import com.nimbusds.jose.util.Base64URL;

/**
 * The digests that name a certificate: the SHA-1 "thumbprint" the Entra admin center
 * lists under Certificates &amp; secrets (upper-case hex), its SHA-256 counterpart, and
 * the same digests as the JWT headers {@code x5t} and {@code x5t#S256} carry them
 * (base64url of the raw digest).
 */
public final class Thumbprints {

	private static final HexFormat HEX = HexFormat.of().withUpperCase();

	private Thumbprints() {
	}

	public static byte[] sha1(byte[] der) {
		return digest("SHA-1", der);
	}

	public static byte[] sha256(byte[] der) {
		return digest("SHA-256", der);
	}

	/**
	 * Upper-case hex, e.g. {@code 3F2A…}, as the Entra admin center shows thumbprints.
	 */
	public static String hex(byte[] digest) {
		return HEX.formatHex(digest);
	}

	/** Base64url without padding, as in {@code x5t} and {@code x5t#S256}. */
	public static Base64URL base64Url(byte[] digest) {
		return Base64URL.encode(digest);
	}

	private static byte[] digest(String algorithm, byte[] der) {
		try {
			return MessageDigest.getInstance(algorithm).digest(der);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
