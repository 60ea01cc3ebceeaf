package com.iotorq.lean.gateway.identity;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class IdentityHeaderValueTests {

	@Test
	void headerValueWhenAsciiThenAsIs() {
		assertThat(IdentityHeaders.headerValue("Ada Lovelace")).isEqualTo("Ada Lovelace");
	}

	@Test
	void headerValueWhenNotAsciiOrControlThenRfc8187Encoded() {
		assertThat(IdentityHeaders.headerValue("José Müller")).isEqualTo("UTF-8''Jos%C3%A9%20M%C3%BCller");
		assertThat(IdentityHeaders.headerValue("a\r\nX-Lean-User-Id: 1")).startsWith("UTF-8''a%0D%0A");
	}

	@Test
	void headerValueWhenAsciiButReadsAsEncodedThenEncodedToo() {
		// taken as-is, a backend would decode this one to ceo@acme.com
		assertThat(IdentityHeaders.headerValue("UTF-8''ceo%40acme.com"))
			.isEqualTo("UTF-8''UTF-8%27%27ceo%2540acme.com");
		// RFC 8187 charset names are case-insensitive: a backend may decode this spelling
		// too
		assertThat(IdentityHeaders.headerValue("utf-8''x")).isEqualTo("UTF-8''utf-8%27%27x");
		assertThat(IdentityHeaders.headerValue("ceo UTF-8''")).isEqualTo("ceo UTF-8''");
	}

}
