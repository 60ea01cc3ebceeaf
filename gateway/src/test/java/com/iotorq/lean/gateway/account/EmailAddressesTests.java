package com.iotorq.lean.gateway.account;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class EmailAddressesTests {

	@Test
	void normalizeWhenComposedDecomposedOrUpperCaseThenOneForm() {
		String composed = "\u00e4nne@acme.example";
		assertThat(EmailAddresses.normalize("A\u0308NNE@ACME.example")).isEqualTo(composed);
		assertThat(EmailAddresses.normalize("\u00c4nne@Acme.Example")).isEqualTo(composed);
		assertThat(EmailAddresses.normalize(" a\u0308nne@acme.example ")).isEqualTo(composed);
	}

	@Test
	void normalizeWhenJvmLocaleIsTurkishThenStillRootLowerCase() {
		java.util.Locale previous = java.util.Locale.getDefault();
		java.util.Locale.setDefault(java.util.Locale.forLanguageTag("tr-TR"));
		try {
			assertThat(EmailAddresses.normalize("IRIS@ACME.EXAMPLE")).isEqualTo("iris@acme.example");
		}
		finally {
			java.util.Locale.setDefault(previous);
		}
	}

}
