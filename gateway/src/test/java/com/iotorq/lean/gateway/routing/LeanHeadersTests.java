package com.iotorq.lean.gateway.routing;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class LeanHeadersTests {

	@ParameterizedTest
	@CsvSource({ "X-Lean-Tenant,true", "x-lean-user-email,true", "X_Lean_User_Email,true", "X-LEAN-IDENTITY,true",
			"x_lean-user,true", "X-Lean-,true", "X-Leaner,false", "X-Lean,false", "Lean-X,false",
			"X-Forwarded-For,false" })
	void isReservedWhenNameThenNamespaceInAnySpelling(String name, boolean reserved) {
		assertThat(LeanHeaders.isReserved(name)).isEqualTo(reserved);
	}

}
