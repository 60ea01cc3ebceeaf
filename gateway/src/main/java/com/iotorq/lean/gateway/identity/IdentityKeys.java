package com.iotorq.lean.gateway.identity;

import java.util.ArrayList;
import java.util.List;

import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;

/**
 * The key that signs identity assertions, and the public keys backends may verify them
 * with: the current one and, during a rotation, earlier ones.
 */
public final class IdentityKeys {

	private final ECKey signingKey;

	private final JWKSet publicKeys;

	private final String publicJson;

	public IdentityKeys(ECKey signingKey, List<ECKey> previousPublicKeys) {
		this.signingKey = signingKey;
		List<JWK> keys = new ArrayList<>();
		keys.add(signingKey.toPublicJWK());
		previousPublicKeys.stream()
			.map(ECKey::toPublicJWK)
			.filter(key -> !key.getKeyID().equals(signingKey.getKeyID()))
			.forEach(keys::add);
		this.publicKeys = new JWKSet(keys);
		this.publicJson = this.publicKeys.toString(true);
	}

	public ECKey signingKey() {
		return this.signingKey;
	}

	public JWKSet publicKeys() {
		return this.publicKeys;
	}

	/** The JWKS document, public parts only. */
	public String publicJson() {
		return this.publicJson;
	}

	@Override
	public String toString() {
		return "IdentityKeys[kid=" + this.signingKey.getKeyID() + ", published=" + this.publicKeys.size() + "]";
	}

}
