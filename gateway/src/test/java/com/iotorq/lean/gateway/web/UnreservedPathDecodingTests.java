package com.iotorq.lean.gateway.web;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class UnreservedPathDecodingTests {

	@Test
	void decodeUnreservedWhenLettersDigitsOrUnreservedMarksThenDecoded() {
		assertThat(UnreservedPathDecoding.decodeUnreserved("/oauth/logi%6E")).isEqualTo("/oauth/login");
		assertThat(UnreservedPathDecoding.decodeUnreserved("/oauth/%6c%6FgIn")).isEqualTo("/oauth/logIn");
		assertThat(UnreservedPathDecoding.decodeUnreserved("/%7Ea%2Db%5Fc%30")).isEqualTo("/~a-b_c0");
	}

	@Test
	void decodeUnreservedWhenAnythingElseThenLeftAsSent() {
		String plain = "/oauth/login";
		assertThat(UnreservedPathDecoding.decodeUnreserved(plain)).isSameAs(plain);
		// the firewall's to refuse: encoded '.', '/', '\', ';', '%' and NUL
		for (String path : new String[] { "/%2E%2E/x", "/a%2Fb", "/a%5Cb", "/a%3Bb", "/a%25b", "/a%00", "/a%20b",
				"/%C3%A9", "/%", "/%6", "/%zz", "/a%6" }) {
			assertThat(UnreservedPathDecoding.decodeUnreserved(path)).as(path).isEqualTo(path);
		}
		// decoded once, never twice
		assertThat(UnreservedPathDecoding.decodeUnreserved("/a%256E")).isEqualTo("/a%256E");
		assertThat(UnreservedPathDecoding.decodeUnreserved("/a%2%6E")).isEqualTo("/a%2n");
		assertThat(UnreservedPathDecoding.decodeUnreserved("/%6E%")).isEqualTo("/n%");
	}

}
