package com.iotorq.lean.gateway.tenant;

import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class TenantHostTests {

	private final TenantHost hosts = new TenantHost("iotorq-lean.com");

	@ParameterizedTest(name = "[{index}] \"{0}\" is {1} {2}")
	@CsvSource(nullValues = "null", delimiter = '|',
			textBlock = """
					acme.iotorq-lean.com                 | TENANT       | acme
					acme.iotorq-lean.com:8443            | TENANT       | acme
					ACME.IoTorq-Lean.com                 | TENANT       | acme
					a.iotorq-lean.com                    | TENANT       | a
					a-1.iotorq-lean.com                  | TENANT       | a-1
					0.iotorq-lean.com                    | TENANT       | 0
					xn--bcher-kva.iotorq-lean.com        | TENANT       | xn--bcher-kva
					abcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghij123.iotorq-lean.com | TENANT | abcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghij123
					abcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghij1234.iotorq-lean.com | INVALID | null
					acme.iotorq-lean.com.                | INVALID      | null
					bücher.iotorq-lean.com               | INVALID      | null
					-acme.iotorq-lean.com                | INVALID      | null
					acme-.iotorq-lean.com                | INVALID      | null
					ac_me.iotorq-lean.com                | INVALID      | null
					iotorq-lean.com                      | NOT_A_TENANT | null
					IOTORQ-LEAN.COM:80                   | NOT_A_TENANT | null
					a.b.iotorq-lean.com                  | NOT_A_TENANT | null
					.iotorq-lean.com                     | INVALID      | null
					acme.iotorq-lean.com:                | INVALID      | null
					acme.iotorq-lean.com:http            | INVALID      | null
					acme.iotorq-lean.com:123456          | INVALID      | null
					acmeiotorq-lean.com                  | INVALID      | null
					acme.evil-iotorq-lean.com            | INVALID      | null
					acme.iotorq-lean.com.evil.example    | INVALID      | null
					127.0.0.1                            | INVALID      | null
					127.0.0.1:8080                       | INVALID      | null
					[::1]                                | INVALID      | null
					[::1]:8080                           | INVALID      | null
					localhost                            | INVALID      | null
					''                                   | INVALID      | null
					null                                 | INVALID      | null
					' '                                  | INVALID      | null
					'acme .iotorq-lean.com'              | INVALID      | null
					acme.iotorq-lean.com/x               | INVALID      | null
					""")
	void parseWhenHostThenClassified(String host, TenantHost.Kind kind, String slug) {
		TenantHost.Result result = this.hosts.parse(host);
		assertThat(result.kind()).isEqualTo(kind);
		assertThat(result.slug()).isEqualTo(slug);
	}

	@Test
	void isSlugWhenAnyTextThenAgreesWithTheSlugPattern() {
		char[] alphabet = { 'a', 'z', 'm', '0', '9', '-', '_', '.', 'A', 'Z', ' ', '\u00e9', '\u212a', '/' };
		Random random = new Random(7);
		for (int i = 0; i < 20_000; i++) {
			int length = (i < 100) ? i % 70 : random.nextInt(70);
			StringBuilder text = new StringBuilder(length);
			for (int j = 0; j < length; j++) {
				// mostly slug characters, so that long valid labels and near misses both
				// occur
				text.append((random.nextInt(10) < 8) ? alphabet[random.nextInt(6)]
						: alphabet[random.nextInt(alphabet.length)]);
			}
			String candidate = text.toString();
			assertThat(TenantHost.isSlug(candidate)).as("'%s'", candidate)
				.isEqualTo(TenantHost.SLUG.matcher(candidate).matches());
		}
	}

}
