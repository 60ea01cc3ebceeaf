package com.iotorq.lean.gateway.secrets;

/**
 * An encrypted secret as stored: AES-GCM output (12-byte IV, ciphertext, tag) and the id
 * of the key that produced it.
 *
 * @param keyId identifies the key, derived from the key itself
 * @param ciphertext IV followed by ciphertext and tag
 */
public record SealedSecret(String keyId, byte[] ciphertext) {

	@Override
	public String toString() {
		return "SealedSecret[keyId=" + this.keyId + "]";
	}

	@Override
	public boolean equals(Object other) {
		return other instanceof SealedSecret sealed && sealed.keyId.equals(this.keyId)
				&& java.util.Arrays.equals(sealed.ciphertext, this.ciphertext);
	}

	@Override
	public int hashCode() {
		return 31 * this.keyId.hashCode() + java.util.Arrays.hashCode(this.ciphertext);
	}

}
