package com.iotorq.lean.gateway.identity;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.KeyUse;

/**
 * Reads the EC P-256 keys operators provide as PEM, as produced by
 * {@code openssl ecparam -name prime256v1 -genkey -noout | openssl pkcs8 -topk8 -nocrypt}.
 * The JDK reads the private key but not the public point that OpenSSL stores beside it,
 * so that is taken from the key's DER structure (RFC 5915 {@code ECPrivateKey}, field
 * {@code publicKey}).
 */
final class PemKeys {

	private PemKeys() {
	}

	/**
	 * @throws IllegalArgumentException saying what is wrong, never echoing the key
	 */
	static ECKey privateKey(String pem) {
		byte[] der = pemBody(pem, "PRIVATE KEY");
		try {
			ECPrivateKey privateKey = (ECPrivateKey) KeyFactory.getInstance("EC")
				.generatePrivate(new PKCS8EncodedKeySpec(der));
			requireP256(privateKey.getParams());
			ECPublicKey publicKey = (ECPublicKey) KeyFactory.getInstance("EC")
				.generatePublic(new ECPublicKeySpec(publicPoint(der), privateKey.getParams()));
			return signingKey(new ECKey.Builder(Curve.P_256, publicKey).privateKey(privateKey));
		}
		catch (GeneralSecurityException | ClassCastException ex) {
			throw new IllegalArgumentException("not an EC P-256 private key in PKCS#8 form");
		}
	}

	static ECKey publicKey(String pem) {
		byte[] der = pemBody(pem, "PUBLIC KEY");
		try {
			ECPublicKey key = (ECPublicKey) KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(der));
			requireP256(key.getParams());
			return signingKey(new ECKey.Builder(Curve.P_256, key));
		}
		catch (GeneralSecurityException | ClassCastException ex) {
			throw new IllegalArgumentException("not an EC P-256 public key");
		}
	}

	static ECKey signingKey(ECKey.Builder builder) {
		try {
			return builder.keyUse(KeyUse.SIGNATURE)
				.algorithm(com.nimbusds.jose.JWSAlgorithm.ES256)
				.keyIDFromThumbprint()
				.build();
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static void requireP256(java.security.spec.ECParameterSpec params) {
		if (!Curve.P_256.equals(Curve.forECParameterSpec(params))) {
			throw new IllegalArgumentException("the key is not on curve P-256 (prime256v1)");
		}
	}

	private static byte[] pemBody(String pem, String type) {
		String text = pem.strip();
		String begin = "-----BEGIN " + type + "-----";
		String end = "-----END " + type + "-----";
		int from = text.indexOf(begin);
		int to = text.indexOf(end);
		if (from < 0 || to < from) {
			throw new IllegalArgumentException("expected a PEM block '" + begin + "'");
		}
		String base64 = text.substring(from + begin.length(), to).replaceAll("\\s", "");
		try {
			return Base64.getDecoder().decode(base64);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException("the PEM block is not valid base64");
		}
	}

	/**
	 * The public point inside PKCS#8 {@code PrivateKeyInfo → privateKey (OCTET STRING) →
	 * ECPrivateKey → [1] publicKey (BIT STRING)}.
	 */
	private static ECPoint publicPoint(byte[] pkcs8) {
		Der privateKeyInfo = Der.at(pkcs8, 0);
		Der version = Der.at(pkcs8, privateKeyInfo.contentStart());
		Der algorithm = Der.at(pkcs8, version.end());
		Der privateKey = Der.at(pkcs8, algorithm.end());
		byte[] ecPrivateKey = Arrays.copyOfRange(pkcs8, privateKey.contentStart(), privateKey.end());
		Der sequence = Der.at(ecPrivateKey, 0);
		for (int offset = sequence.contentStart(); offset < sequence.end();) {
			Der field = Der.at(ecPrivateKey, offset);
			if (field.tag() == 0xA1) {
				Der bits = Der.at(ecPrivateKey, field.contentStart());
				// unused-bits byte, then 0x04 || X || Y (uncompressed point)
				int start = bits.contentStart() + 1;
				if (ecPrivateKey[start] != 0x04 || bits.end() - start != 65) {
					break;
				}
				BigInteger x = new BigInteger(1, Arrays.copyOfRange(ecPrivateKey, start + 1, start + 33));
				BigInteger y = new BigInteger(1, Arrays.copyOfRange(ecPrivateKey, start + 33, start + 65));
				return new ECPoint(x, y);
			}
			offset = field.end();
		}
		throw new IllegalArgumentException(
				"the private key does not include its public key; create it with `openssl ecparam -name prime256v1 -genkey -noout | openssl pkcs8 -topk8 -nocrypt`");
	}

	/** One DER element: its tag, where its content starts, and where it ends. */
	private record Der(int tag, int contentStart, int end) {

		static Der at(byte[] der, int offset) {
			if (offset + 2 > der.length) {
				throw new IllegalArgumentException("the key is not valid DER");
			}
			int tag = der[offset] & 0xFF;
			int length = der[offset + 1] & 0xFF;
			int start = offset + 2;
			if (length > 0x80) {
				int bytes = length & 0x7F;
				if (bytes > 3 || start + bytes > der.length) {
					throw new IllegalArgumentException("the key is not valid DER");
				}
				length = 0;
				for (int i = 0; i < bytes; i++) {
					length = (length << 8) | (der[start + i] & 0xFF);
				}
				start += bytes;
			}
			if (start + length > der.length) {
				throw new IllegalArgumentException("the key is not valid DER");
			}
			return new Der(tag, start, start + length);
		}

	}

}
