package com.iotorq.lean.gateway.test;

import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * Points an application context under test at the test run's PostgreSQL database and Redis.
 */
public final class GatewayTestProperties {

	public static final String ADMIN_TOKEN = "test-admin-token-5f0c3b9e2a7d4c1e8b6a0f9d3c2b1a07";

	public static final String BASE_DOMAIN = "lean.test";

	private GatewayTestProperties() {
	}

	public static void register(DynamicPropertyRegistry registry) {
		TestDatabase database = TestDatabase.get();
		TestRedis redis = TestRedis.get();
		registry.add("lean.database.host", database::host);
		registry.add("lean.database.port", database::port);
		registry.add("lean.database.name", database::name);
		registry.add("lean.database.username", database::user);
		registry.add("lean.database.password", database::password);
		registry.add("spring.data.redis.host", redis::host);
		registry.add("spring.data.redis.port", redis::port);
		registry.add("spring.session.data.redis.namespace", () -> redis.namespace() + ":session");
		registry.add("lean.gateway.base-domain", () -> BASE_DOMAIN);
		registry.add("lean.admin.tokens", () -> ADMIN_TOKEN);
		registry.add("management.server.port", () -> 0);
	}

}
