package com.iotorq.lean.gateway.sso.oidc;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class NextPathTests {

	@ParameterizedTest(name = "[{index}] {0} -> {1}")
	@CsvSource(nullValues = "null", delimiter = '|', textBlock = """
			/reports/7?x=1           | /reports/7?x=1
			/                        | /
			/a%20b                   | /a%20b
			null                     | /
			''                       | /
			//evil.example           | /
			///evil.example          | /
			/\\evil.example          | /
			\\\\evil.example         | /
			https://evil.example     | /
			http:evil.example        | /
			javascript:alert(1)      | /
			/%2F%2Fevil.example      | /
			/%2f/evil.example        | /
			/%252F%252Fevil.example  | /
			/%5Cevil.example         | /
			/%0d%0aSet-Cookie:x=1    | /
			reports                  | /
			' /x'                    | /
			""")
	void sanitizeWhenCandidateThenOnlySameOriginPathsPass(String next, String expected) {
		assertThat(NextPath.sanitize(next)).isEqualTo(expected);
	}

	@org.junit.jupiter.api.Test
	void sanitizeWhenTooLongThenHome() {
		assertThat(NextPath.sanitize("/" + "a".repeat(3000))).isEqualTo("/");
	}

}
