package com.iotorq.lean.gateway.session;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import com.iotorq.lean.gateway.LeanGatewayApplication;
import com.iotorq.lean.gateway.test.EchoBackend;
import com.iotorq.lean.gateway.test.GatewayTestProperties;
import com.iotorq.lean.gateway.test.TestBrowser;
import com.iotorq.lean.gateway.test.TestRedis;
import com.iotorq.lean.gateway.test.entra.TestEntra;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With {@code lean.session.store=redis}, a session outlives the instance that created it:
 * the gateway restarts (or another replica answers) and the user is still signed in;
 * signing out ends it everywhere.
 */
class RedisSessionIntegrationTests {

	static final TestEntra entra = TestEntra.start();

	static final EchoBackend backend = EchoBackend.start();

	@AfterAll
	static void stop() {
		entra.close();
		backend.close();
	}

	@Test
	void sessionWhenGatewayRestartsThenStillSignedInUntilSignOut() {
		int port = freePort();
		String slug = "redis-" + UUID.randomUUID().toString().substring(0, 8);
		String host = slug + "." + GatewayTestProperties.BASE_DOMAIN;
		String base = "http://" + host + ":" + port;
		TestEntra.Directory directory = entra.directory(UUID.randomUUID().toString());
		TestEntra.App app = directory.registerApp(UUID.randomUUID().toString(), "secret-" + UUID.randomUUID(),
				base + "/oauth/complete/");
		TestEntra.User ada = directory.addUser(UUID.randomUUID().toString(), "ada@" + slug + ".example",
				"Ada Lovelace");
		app.assign(ada);
		TestBrowser browser = new TestBrowser();

		ConfigurableApplicationContext first = start(port);
		try {
			register(first, slug, directory, app, ada);
			entra.signInAs(ada);
			TestBrowser.Response done = browser.follow(browser.follow(browser.get(base + "/oauth/login?next=/home")));
			assertThat(done.location()).isEqualTo("/home");
			assertThat(browser.get(base + "/home").status()).isEqualTo(200);
			assertThat(keysInRedis()).isPositive();
			// the stored security context was decoded through the gateway's serializer,
			// and kept
			assertThat(first.getBean("springSessionDefaultRedisSerializer"))
				.isInstanceOfSatisfying(DecodedValueCache.class, decoded -> assertThat(decoded.size()).isPositive());
		}
		finally {
			first.close();
		}

		ConfigurableApplicationContext second = start(port);
		try {
			assertThat(browser.get(base + "/home").status()).isEqualTo(200);
			assertThat(backend.last().header("X-Lean-User-Email")).containsExactly(ada.email());
			TestBrowser.Response logout = browser.post(base + "/oauth/logout", "",
					Map.of("Sec-Fetch-Site", "same-origin"));
			assertThat(logout.status()).isEqualTo(302);
			assertThat(browser.get(base + "/home").status()).isEqualTo(302);
		}
		finally {
			second.close();
		}
	}

	private static ConfigurableApplicationContext start(int port) {
		return new SpringApplicationBuilder(LeanGatewayApplication.class)
			.run(GatewayTestProperties.args("--server.port=" + port, "--lean.session.store=redis",
					"--lean.backend.default-uri=" + backend.uri(), "--lean.sso.entra.authority=" + entra.authority()));
	}

	static void register(ConfigurableApplicationContext context, String slug, TestEntra.Directory directory,
			TestEntra.App app, TestEntra.User user) {
		WebTestClient admin = WebTestClient.bindToServer()
			.responseTimeout(java.time.Duration.ofSeconds(30))
			.baseUrl("http://127.0.0.1:" + context.getEnvironment().getProperty("local.management.port"))
			.defaultHeader("Authorization", "Bearer " + GatewayTestProperties.ADMIN_TOKEN)
			.responseTimeout(Duration.ofSeconds(20))
			.build();
		admin.put()
			.uri("/admin/tenants/{slug}", slug)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("displayName", "Redis Org"))
			.exchange()
			.expectStatus()
			.isCreated();
		admin.put()
			.uri("/admin/tenants/{slug}/sso", slug)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("provider", "entra", "entraTenantId", directory.tid(), "clientId", app.clientId(),
					"clientSecret", "wrong-on-purpose-replaced-below", "mode", "REQUIRED", "provisioning",
					"EXISTING_ONLY"))
			.exchange()
			.expectStatus()
			.isOk();
		app.secret("wrong-on-purpose-replaced-below");
		admin.put()
			.uri("/admin/tenants/{slug}/users/{email}", slug, user.email())
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("status", "ACTIVE"))
			.exchange()
			.expectStatus()
			.isCreated();
	}

	private long keysInRedis() {
		TestRedis redis = TestRedis.get();
		var factory = new org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory(redis.host(),
				redis.port());
		factory.afterPropertiesSet();
		try {
			ReactiveRedisConnectionFactory reactive = factory;
			return reactive.getReactiveConnection()
				.keyCommands()
				.keys(java.nio.ByteBuffer.wrap((redis.namespace() + ":session:*").getBytes()))
				.map(java.util.List::size)
				.block(Duration.ofSeconds(5));
		}
		finally {
			factory.destroy();
		}
	}

	static int freePort() {
		try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (java.io.IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
