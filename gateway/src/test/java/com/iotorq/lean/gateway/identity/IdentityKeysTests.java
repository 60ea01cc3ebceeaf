package com.iotorq.lean.gateway.identity;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.iotorq.lean.gateway.test.GatewayTestProperties;

import static org.assertj.core.api.Assertions.assertThat;

class IdentityKeysTests {

	@Test
	void publicKeysWhenRotatingThenCurrentAndPreviousPublishedWithoutPrivateParts() {
		var current = PemKeys.privateKey(GatewayTestProperties.resource("/identity-test-key.pem"));
		var previous = PemKeys.publicKey(GatewayTestProperties.resource("/identity-test-key-previous.pub.pem"));
		IdentityKeys keys = new IdentityKeys(current, List.of(previous, current.toECKey()));
		assertThat(keys.publicKeys().getKeys()).extracting(k -> k.getKeyID())
			.containsExactly(current.getKeyID(), previous.getKeyID());
		assertThat(keys.publicJson()).doesNotContain("\"d\"");
	}

}
