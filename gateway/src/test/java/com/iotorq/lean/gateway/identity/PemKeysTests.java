package com.iotorq.lean.gateway.identity;

import org.junit.jupiter.api.Test;

import com.iotorq.lean.gateway.test.GatewayTestProperties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class PemKeysTests {

	@Test
	void privateKeyWhenOpensslPkcs8ThenKeyPairWithMatchingPublicKey() {
		var key = PemKeys.privateKey(GatewayTestProperties.resource("/identity-test-key.pem"));
		var published = PemKeys.publicKey(GatewayTestProperties.resource("/identity-test-key.pub.pem"));
		assertThat(key.isPrivate()).isTrue();
		assertThat(key.getKeyID()).isEqualTo(published.getKeyID());
		assertThat(key.toPublicJWK().getX()).isEqualTo(published.getX());
	}

	@Test
	void privateKeyWhenNotAKeyThenClearMessage() {
		assertThatIllegalArgumentException().isThrownBy(() -> PemKeys.privateKey("hello"))
			.withMessageContaining("BEGIN PRIVATE KEY");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> PemKeys.privateKey("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----"))
			.withMessageContaining("P-256");
	}

}
