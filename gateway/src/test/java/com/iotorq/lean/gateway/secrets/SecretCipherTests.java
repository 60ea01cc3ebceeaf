package com.iotorq.lean.gateway.secrets;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SecretCipherTests {

	private static final String OLD_KEY = "b2xkLWtleS1vbGQta2V5LW9sZC1rZXktb2xkLWtleSE=";

	private static final String NEW_KEY = "bmV3LWtleS1uZXcta2V5LW5ldy1rZXktbmV3LWtleSE=";

	@Test
	void sealWhenOpenedWithSameOwnerThenSecretBack() {
		SecretCipher cipher = new SecretCipher(NEW_KEY, List.of());
		SealedSecret sealed = cipher.seal("Abc8Q~value", "tenant-1");
		assertThat(new String(sealed.ciphertext())).doesNotContain("Abc8Q~value");
		assertThat(sealed.keyId()).isEqualTo(cipher.currentKeyId());
		assertThat(cipher.open(sealed, "tenant-1")).isEqualTo("Abc8Q~value");
		assertThat(cipher.seal("Abc8Q~value", "tenant-1").ciphertext()).isNotEqualTo(sealed.ciphertext());
	}

	@Test
	void openWhenOwnerDiffersThenRefused() {
		SecretCipher cipher = new SecretCipher(NEW_KEY, List.of());
		SealedSecret sealed = cipher.seal("value", "tenant-1");
		assertThatThrownBy(() -> cipher.open(sealed, "tenant-2"))
			.isInstanceOf(SecretCipher.SecretUnavailableException.class)
			.hasMessageNotContaining("value");
	}

	@Test
	void openWhenSealedWithPreviousKeyThenStillReadableAndStale() {
		SealedSecret old = new SecretCipher(OLD_KEY, List.of()).seal("value", "t");
		SecretCipher rotated = new SecretCipher(NEW_KEY, List.of(OLD_KEY));
		assertThat(rotated.open(old, "t")).isEqualTo("value");
		assertThat(rotated.isStale(old)).isTrue();
		assertThatThrownBy(() -> new SecretCipher(NEW_KEY, List.of()).open(old, "t"))
			.hasMessageContaining("LEAN_SECRETS_PREVIOUS_KEYS");
	}

	@Test
	void constructWhenKeyMalformedThenSaysSoWithoutEchoingIt() {
		assertThatIllegalArgumentException().isThrownBy(() -> new SecretCipher("c2hvcnQ=", List.of()))
			.withMessageContaining("32 bytes")
			.withMessageNotContaining("c2hvcnQ=");
		assertThatIllegalArgumentException().isThrownBy(() -> new SecretCipher("not base64 !", List.of()))
			.withMessageContaining("base64");
	}

}
