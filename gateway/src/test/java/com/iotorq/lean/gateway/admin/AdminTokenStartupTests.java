package com.iotorq.lean.gateway.admin;

import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;

import com.iotorq.lean.gateway.LeanGatewayApplication;
import com.iotorq.lean.gateway.test.GatewayTestProperties;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The admin API never runs open: with no token configured the gateway refuses to start
 * and says which variable to set.
 */
class AdminTokenStartupTests {

	@Test
	void startWhenNoAdminTokenThenRefusesWithClearMessage() {
		assertThatThrownBy(() -> new SpringApplicationBuilder(LeanGatewayApplication.class)
			.run(GatewayTestProperties.args("--lean.admin.tokens="))).hasStackTraceContaining("LEAN_ADMIN_TOKENS");
	}

}
