package com.iotorq.lean.gateway.test;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * Points an application context under test at the test run's PostgreSQL database and
 * Redis, with the keys a production configuration must have.
 */
public final class GatewayTestProperties {

	public static final String ADMIN_TOKEN = "test-admin-token-5f0c3b9e2a7d4c1e8b6a0f9d3c2b1a07";

	public static final String BASE_DOMAIN = "lean.test";

	/** Base64 of 32 bytes: encrypts client secrets in tests. */
	public static final String SECRETS_KEY = "dGVzdC1vbmx5LXNlY3JldHMta2V5LTMyLWJ5dGVzISE=";

	private GatewayTestProperties() {
	}

	/**
	 * Every property as name and value, for contexts started with
	 * {@code SpringApplicationBuilder}.
	 */
	public static Map<String, String> values() {
		TestDatabase database = TestDatabase.get();
		TestRedis redis = TestRedis.get();
		Map<String, String> values = new LinkedHashMap<>();
		values.put("lean.database.host", database.host());
		values.put("lean.database.port", Integer.toString(database.port()));
		values.put("lean.database.name", database.name());
		values.put("lean.database.username", database.user());
		values.put("lean.database.password", database.password());
		values.put("spring.data.redis.host", redis.host());
		values.put("spring.data.redis.port", Integer.toString(redis.port()));
		values.put("spring.session.data.redis.namespace", redis.namespace() + ":session");
		values.put("lean.gateway.base-domain", BASE_DOMAIN);
		values.put("lean.admin.tokens", ADMIN_TOKEN);
		values.put("lean.secrets.key", SECRETS_KEY);
		values.put("lean.identity.signing-key", resource("/identity-test-key.pem"));
		values.put("management.server.port", "0");
		// many contexts live side by side in a test JVM: keep each one's share of
		// PostgreSQL's connections small
		values.put("spring.r2dbc.pool.initial-size", "1");
		values.put("spring.r2dbc.pool.max-size", "5");
		return values;
	}

	public static void register(DynamicPropertyRegistry registry) {
		values().forEach((name, value) -> registry.add(name, () -> value));
	}

	/**
	 * The same as command-line arguments; {@code overrides} ({@code --name=value})
	 * replace or add.
	 */
	public static String[] args(String... overrides) {
		Map<String, String> values = values();
		values.put("server.port", "0");
		for (String override : overrides) {
			int equals = override.indexOf('=');
			values.put(override.substring(2, equals), override.substring(equals + 1));
		}
		return values.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new);
	}

	public static String resource(String path) {
		try (InputStream in = GatewayTestProperties.class.getResourceAsStream(path)) {
			if (in == null) {
				throw new IllegalStateException("missing test resource " + path);
			}
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
