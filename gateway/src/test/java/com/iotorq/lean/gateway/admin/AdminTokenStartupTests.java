package com.iotorq.lean.gateway.admin;

import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;

import com.iotorq.lean.gateway.LeanGatewayApplication;
import com.iotorq.lean.gateway.test.TestDatabase;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The admin API never runs open: with no token configured the gateway refuses to start and
 * says which variable to set.
 */
class AdminTokenStartupTests {

	@Test
	void startWhenNoAdminTokenThenRefusesWithClearMessage() {
		TestDatabase database = TestDatabase.get();
		assertThatThrownBy(() -> new SpringApplicationBuilder(LeanGatewayApplication.class).run("--server.port=0",
				"--management.server.port=0", "--lean.database.host=" + database.host(),
				"--lean.database.port=" + database.port(), "--lean.database.name=" + database.name(),
				"--lean.database.username=" + database.user(), "--lean.gateway.base-domain=lean.test",
				"--lean.admin.tokens="))
			.hasStackTraceContaining("LEAN_ADMIN_TOKENS");
	}

}
