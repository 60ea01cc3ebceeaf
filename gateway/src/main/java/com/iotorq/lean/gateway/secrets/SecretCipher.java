package com.iotorq.lean.gateway.secrets;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts secrets for storage with AES-256-GCM. Each ciphertext is bound to its owner
 * (associated data, e.g. the tenant id), so a row copied to another organisation does not
 * decrypt. The key id stored beside the ciphertext lets old keys keep decrypting during a
 * rotation.
 */
public final class SecretCipher {

	private static final int IV_BYTES = 12;

	private static final int TAG_BITS = 128;

	private final SecureRandom random = new SecureRandom();

	private final String currentKeyId;

	private final Map<String, SecretKeySpec> keys = new LinkedHashMap<>();

	/**
	 * @param currentKey base64 of 32 bytes, encrypts from now on
	 * @param previousKeys base64 keys still accepted for decryption
	 * @throws IllegalArgumentException naming the offending setting, never its value
	 */
	public SecretCipher(String currentKey, List<String> previousKeys) {
		SecretKeySpec current = parse(currentKey, "LEAN_SECRETS_KEY");
		this.currentKeyId = keyId(current);
		this.keys.put(this.currentKeyId, current);
		for (String previous : previousKeys) {
			if (!previous.isBlank()) {
				SecretKeySpec key = parse(previous.strip(), "LEAN_SECRETS_PREVIOUS_KEYS");
				this.keys.putIfAbsent(keyId(key), key);
			}
		}
	}

	public SealedSecret seal(String secret, String owner) {
		byte[] iv = new byte[IV_BYTES];
		this.random.nextBytes(iv);
		try {
			Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
			cipher.init(Cipher.ENCRYPT_MODE, this.keys.get(this.currentKeyId), new GCMParameterSpec(TAG_BITS, iv));
			cipher.updateAAD(owner.getBytes(StandardCharsets.UTF_8));
			byte[] encrypted = cipher.doFinal(secret.getBytes(StandardCharsets.UTF_8));
			byte[] out = new byte[IV_BYTES + encrypted.length];
			System.arraycopy(iv, 0, out, 0, IV_BYTES);
			System.arraycopy(encrypted, 0, out, IV_BYTES, encrypted.length);
			return new SealedSecret(this.currentKeyId, out);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("AES-GCM encryption failed", ex);
		}
	}

	/**
	 * @throws SecretUnavailableException when the key is not configured or the ciphertext
	 * does not authenticate for this owner
	 */
	public String open(SealedSecret sealed, String owner) {
		SecretKeySpec key = this.keys.get(sealed.keyId());
		if (key == null) {
			throw new SecretUnavailableException("the secret was encrypted with key " + sealed.keyId()
					+ ", which is neither LEAN_SECRETS_KEY nor one of LEAN_SECRETS_PREVIOUS_KEYS");
		}
		byte[] data = sealed.ciphertext();
		try {
			Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
			cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, data, 0, IV_BYTES));
			cipher.updateAAD(owner.getBytes(StandardCharsets.UTF_8));
			return new String(cipher.doFinal(data, IV_BYTES, data.length - IV_BYTES), StandardCharsets.UTF_8);
		}
		catch (GeneralSecurityException ex) {
			throw new SecretUnavailableException("the stored secret does not decrypt with key " + sealed.keyId());
		}
	}

	/** Whether a secret was sealed with an older key and should be sealed again. */
	public boolean isStale(SealedSecret sealed) {
		return !this.currentKeyId.equals(sealed.keyId());
	}

	public String currentKeyId() {
		return this.currentKeyId;
	}

	private static SecretKeySpec parse(String base64, String setting) {
		byte[] bytes;
		try {
			bytes = Base64.getDecoder().decode(base64.strip());
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException(
					setting + " is not valid base64; generate a key with `openssl rand -base64 32`");
		}
		if (bytes.length != 32) {
			throw new IllegalArgumentException(setting + " must be base64 of exactly 32 bytes (it decodes to "
					+ bytes.length + "); generate one with `openssl rand -base64 32`");
		}
		return new SecretKeySpec(bytes, "AES");
	}

	private static String keyId(SecretKeySpec key) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getEncoded());
			return HexFormat.of().formatHex(digest, 0, 8);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@Override
	public String toString() {
		return "SecretCipher[currentKeyId=" + this.currentKeyId + ", keys=" + this.keys.size() + "]";
	}

	/** A stored secret cannot be read back; says why without revealing anything. */
	public static final class SecretUnavailableException extends RuntimeException {

		SecretUnavailableException(String message) {
			super(message, null, false, false);
		}

	}

}
