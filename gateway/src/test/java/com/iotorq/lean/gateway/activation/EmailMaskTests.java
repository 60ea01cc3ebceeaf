package com.iotorq.lean.gateway.activation;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class EmailMaskTests {

	@Test
	void maskWhenLocalPartLongThenFirstAndLastCharacterAndDomainShown() {
		assertThat(EmailMask.mask("ada.lovelace@acme.example")).isEqualTo("a***e@acme.example");
	}

	@Test
	void maskWhenLocalPartShortThenOnlyFirstCharacterShown() {
		assertThat(EmailMask.mask("al@acme.example")).isEqualTo("a***@acme.example");
		assertThat(EmailMask.mask("a@acme.example")).isEqualTo("a***@acme.example");
	}

	@Test
	void maskWhenNotAnAddressThenNothingShown() {
		assertThat(EmailMask.mask("@acme.example")).isEqualTo("***");
		assertThat(EmailMask.mask("nobody")).isEqualTo("***");
	}

}
