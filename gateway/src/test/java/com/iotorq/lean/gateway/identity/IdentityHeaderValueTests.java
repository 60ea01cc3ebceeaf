package com.iotorq.lean.gateway.identity;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class IdentityHeaderValueTests {

	@Test
	void headerValueWhenAsciiThenAsIs() {
		assertThat(IdentityHeadersFilter.headerValue("Ada Lovelace")).isEqualTo("Ada Lovelace");
	}

	@Test
	void headerValueWhenNotAsciiOrControlThenRfc8187Encoded() {
		assertThat(IdentityHeadersFilter.headerValue("José Müller")).isEqualTo("UTF-8''Jos%C3%A9%20M%C3%BCller");
		assertThat(IdentityHeadersFilter.headerValue("a\r\nX-Lean-User-Id: 1")).startsWith("UTF-8''a%0D%0A");
	}

}
