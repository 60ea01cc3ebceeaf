package com.iotorq.lean.gateway.session;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.web.reactive.server.WebTestClient;

import com.iotorq.lean.gateway.LeanGatewayApplication;
import com.iotorq.lean.gateway.test.EchoBackend;
import com.iotorq.lean.gateway.test.GatewayTestProperties;
import com.iotorq.lean.gateway.test.TestBrowser;
import com.iotorq.lean.gateway.test.entra.TestEntra;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway's Redis with AUTH (an ACL user and password) over TLS only, as in
 * production: a {@code redis-server} of this test's own, with a certificate made for it.
 * Sessions, the shared rate limit and the health check all reach it through Boot's
 * {@code spring.data.redis.*}; with a wrong password the session store is reported down
 * instead.
 */
class RedisAuthAndTlsIntegrationTests {

	static final TestEntra entra = TestEntra.start();

	static final EchoBackend backend = EchoBackend.start();

	static final String USER = "lean-gateway";

	static final String PASSWORD = "acl-" + UUID.randomUUID();

	static Path dir;

	static Process redis;

	static int tlsPort;

	@BeforeAll
	static void startRedis() throws Exception {
		dir = Files.createTempDirectory("lean-redis-tls");
		run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
				"-addext", "subjectAltName=IP:127.0.0.1", "-keyout", dir.resolve("key.pem").toString(), "-out",
				dir.resolve("cert.pem").toString());
		tlsPort = RedisSessionIntegrationTests.freePort();
		// no plain port at all; the default user has a password of its own, the gateway
		// uses its ACL user
		redis = new ProcessBuilder("redis-server", "--port", "0", "--tls-port", Integer.toString(tlsPort),
				"--tls-cert-file", dir.resolve("cert.pem").toString(), "--tls-key-file",
				dir.resolve("key.pem").toString(), "--tls-ca-cert-file", dir.resolve("cert.pem").toString(),
				"--tls-auth-clients", "no", "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--requirepass",
				"default-" + UUID.randomUUID(), "--user", USER, "on", ">" + PASSWORD, "~*", "&*", "+@all")
			.redirectErrorStream(true)
			.redirectOutput(dir.resolve("redis.log").toFile())
			.start();
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
		while (!listening(tlsPort)) {
			assertThat(redis.isAlive())
				.as("redis-server with TLS started: " + Files.readString(dir.resolve("redis.log")))
				.isTrue();
			assertThat(System.nanoTime()).as("redis-server listening").isLessThan(deadline);
			Thread.sleep(50);
		}
	}

	@AfterAll
	static void stop() throws IOException {
		if (redis != null) {
			redis.destroy();
		}
		entra.close();
		backend.close();
		try (var files = Files.list(dir)) {
			for (Path file : files.toList()) {
				Files.delete(file);
			}
		}
		Files.delete(dir);
	}

	@Test
	void redisWithAclUserOverTlsWhenConfiguredThenSessionsAndHealthWork() {
		int port = RedisSessionIntegrationTests.freePort();
		String slug = "tls-" + UUID.randomUUID().toString().substring(0, 8);
		String base = "http://" + slug + "." + GatewayTestProperties.BASE_DOMAIN + ":" + port;
		TestEntra.Directory directory = entra.directory(UUID.randomUUID().toString());
		TestEntra.App app = directory.registerApp(UUID.randomUUID().toString(), "secret-" + UUID.randomUUID(),
				base + "/oauth/complete/");
		TestEntra.User ada = directory.addUser(UUID.randomUUID().toString(), "ada@" + slug + ".example",
				"Ada Lovelace");
		app.assign(ada);

		try (ConfigurableApplicationContext gateway = start(port, PASSWORD)) {
			assertThat(sessionStoreHealth(gateway)).isEqualTo("UP");
			// the near cache's own subscription reaches the same Redis, as the same user,
			// over TLS
			org.awaitility.Awaitility.await()
				.atMost(java.time.Duration.ofSeconds(10))
				.until(gateway.getBean(RedisSessionInvalidations.class)::isListening);
			RedisSessionIntegrationTests.register(gateway, slug, directory, app, ada);
			entra.signInAs(ada);
			TestBrowser browser = new TestBrowser();
			TestBrowser.Response done = browser.follow(browser.follow(browser.get(base + "/oauth/login?next=/home")));
			assertThat(done.location()).isEqualTo("/home");
			assertThat(browser.get(base + "/home").status()).isEqualTo(200);
			assertThat(backend.last().header("X-Lean-User-Email")).containsExactly(ada.email());
			// the session and the shared rate limit are in this Redis, not in the test
			// run's usual one
			String keys = run("redis-cli", "--tls", "--cacert", dir.resolve("cert.pem").toString(), "-h", "127.0.0.1",
					"-p", Integer.toString(tlsPort), "--user", USER, "--pass", PASSWORD, "--no-auth-warning", "--scan");
			assertThat(keys).contains(":session:sessions:").contains("lean:rate-limit:");
		}
	}

	@Test
	void redisWhenPasswordWrongThenSessionStoreReportedDown() {
		try (ConfigurableApplicationContext gateway = start(RedisSessionIntegrationTests.freePort(), "wrong")) {
			assertThat(sessionStoreHealth(gateway)).isEqualTo("DOWN");
		}
	}

	private static ConfigurableApplicationContext start(int port, String password) {
		return new SpringApplicationBuilder(LeanGatewayApplication.class)
			.run(GatewayTestProperties.args("--server.port=" + port, "--lean.session.store=redis",
					"--lean.backend.default-uri=" + backend.uri(), "--lean.sso.entra.authority=" + entra.authority(),
					"--spring.data.redis.host=127.0.0.1", "--spring.data.redis.port=" + tlsPort,
					"--spring.data.redis.username=" + USER, "--spring.data.redis.password=" + password,
					"--spring.data.redis.ssl.enabled=true", "--spring.data.redis.ssl.bundle=redis",
					"--spring.ssl.bundle.pem.redis.truststore.certificate=file:" + dir.resolve("cert.pem")));
	}

	private static String sessionStoreHealth(ConfigurableApplicationContext gateway) {
		String health = WebTestClient.bindToServer()
			.responseTimeout(Duration.ofSeconds(20))
			.baseUrl("http://127.0.0.1:" + gateway.getEnvironment().getProperty("local.management.port"))
			.build()
			.get()
			.uri("/actuator/health")
			.exchange()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		return tools.jackson.databind.json.JsonMapper.shared()
			.readTree(health)
			.at("/components/sessionStore/status")
			.asString();
	}

	private static boolean listening(int port) {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	private static String run(String... command) {
		try {
			Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
			String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			assertThat(process.waitFor()).as(command[0] + ": " + output).isZero();
			return output;
		}
		catch (IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
