package com.iotorq.lean.gateway.test;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Map;
import java.util.UUID;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import com.iotorq.lean.gateway.test.entra.TestEntra;

/**
 * A gateway in front of a real HTTP backend, signing in through an Entra-shaped provider
 * over real HTTP, with helpers to register organisations, their app registrations and
 * people the way LEAN support and an Entra administrator would.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "lean.sso.jwks-refresh-interval=1s", "lean.sso.sign-in-rate-limit=100000",
				"lean.gateway.public-scheme=http", "lean.sso.secret-expiry.initial-delay=1h",
				"lean.sso.certificate-expiry.initial-delay=1h", "lean.sso.renewal-reminders.initial-delay=1h" })
public abstract class SignInTestSupport {

	protected static final TestEntra entra = TestEntra.start();

	protected static final EchoBackend backend = EchoBackend.start();

	/**
	 * A real SMTP server in this JVM: activation mails arrive here (each organisation has
	 * its own mail domain).
	 */
	protected static final GreenMail mail = startMail();

	@DynamicPropertySource
	static void signInProperties(DynamicPropertyRegistry registry) {
		GatewayTestProperties.register(registry);
		registry.add("lean.backend.default-uri", () -> backend.uri().toString());
		registry.add("lean.sso.entra.authority", () -> entra.authority().toString());
		registry.add("spring.mail.host", () -> "127.0.0.1");
		registry.add("spring.mail.port", () -> Integer.toString(mail.getSmtp().getPort()));
	}

	private static GreenMail startMail() {
		GreenMail server = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
		server.start();
		return server;
	}

	@AfterAll
	static void stopServers() {
		// the servers are shared by every subclass in this JVM; stopping is left to JVM
		// exit
	}

	@LocalServerPort
	protected int port;

	@LocalManagementPort
	protected int managementPort;

	protected WebTestClient admin;

	protected TestBrowser browser;

	@BeforeEach
	void setUpClients() {
		this.admin = WebTestClient.bindToServer()
			.responseTimeout(java.time.Duration.ofSeconds(30))
			.baseUrl("http://127.0.0.1:" + this.managementPort)
			.defaultHeader("Authorization", "Bearer " + GatewayTestProperties.ADMIN_TOKEN)
			.responseTimeout(Duration.ofSeconds(20))
			.build();
		this.browser = new TestBrowser();
		backend.clear();
		entra.clearRequests();
		entra.delay(Duration.ZERO);
	}

	/** A new organisation with SSO through its own new directory and app registration. */
	protected Org organisation(String provisioning) {
		String slug = "org-" + UUID.randomUUID().toString().substring(0, 8);
		String tid = UUID.randomUUID().toString();
		String clientId = UUID.randomUUID().toString();
		String secret = "s3cr3t~" + UUID.randomUUID().toString().replace("-", "");
		TestEntra.Directory directory = entra.directory(tid);
		Org org = new Org(slug, directory, null, secret, this.port);
		// as registered for the local try-out and for the public address behind a
		// TLS-terminating ingress
		TestEntra.App app = directory.registerApp(clientId, secret, org.url("/oauth/complete/"),
				"https://" + org.host() + "/oauth/complete/");
		this.admin.put()
			.uri("/admin/tenants/{slug}", slug)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("displayName", "Organisation " + slug))
			.exchange()
			.expectStatus()
			.isCreated();
		putSso(slug,
				Map.of("provider", "entra", "entraTenantId", tid, "clientId", clientId, "clientSecret", secret,
						"clientSecretExpiresAt", LocalDate.now().plusDays(730).toString(), "mode", "REQUIRED",
						"provisioning", provisioning))
			.expectStatus()
			.isOk();
		// saving verified the credentials at the provider: tests see only their own
		// requests
		entra.clearRequests();
		return new Org(slug, directory, app, secret, this.port);
	}

	protected Org organisation() {
		return organisation("EXISTING_ONLY");
	}

	protected WebTestClient.ResponseSpec putSso(String slug, Map<String, ?> body) {
		return this.admin.put()
			.uri("/admin/tenants/{slug}/sso", slug)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(body)
			.exchange();
	}

	/**
	 * A person in the organisation's directory, assigned to the app, with an active LEAN
	 * account.
	 */
	protected TestEntra.User person(Org org, String name) {
		String email = name.toLowerCase().replace(' ', '.') + "@" + org.slug() + ".example";
		TestEntra.User user = org.directory().addUser(UUID.randomUUID().toString(), email, name);
		org.app().assign(user);
		account(org, email, "ACTIVE");
		return user;
	}

	protected void account(Org org, String email, String status) {
		this.admin.put()
			.uri("/admin/tenants/{slug}/users/{email}", org.slug(), email)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("status", status))
			.exchange()
			.expectStatus()
			.is2xxSuccessful();
	}

	/** The management port's Prometheus scrape. */
	protected String prometheus() {
		return okBody(WebTestClient.bindToServer()
			.baseUrl("http://127.0.0.1:" + this.managementPort)
			.responseTimeout(Duration.ofSeconds(30))
			.build()
			.get()
			.uri("/actuator/prometheus"));
	}

	/** Sends the request, expects 200 and returns the body. */
	protected static String okBody(WebTestClient.RequestHeadersSpec<?> request) {
		return request.exchange().expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
	}

	/** Signs in through the provider and returns the gateway's answer to the callback. */
	protected TestBrowser.Response signIn(Org org, TestEntra.User user, String next) {
		entra.signInAs(user);
		TestBrowser.Response login = this.browser
			.get(org.url("/oauth/login?next=" + URLEncoder.encode(next, StandardCharsets.UTF_8)));
		TestBrowser.Response authorize = this.browser.follow(login);
		return this.browser.follow(authorize);
	}

	/**
	 * An organisation as the tests see it.
	 *
	 * @param slug its subdomain
	 * @param directory its Entra directory
	 * @param app its app registration
	 * @param clientSecret the secret's value
	 * @param port the gateway's public port
	 */
	public record Org(String slug, TestEntra.Directory directory, TestEntra.App app, String clientSecret, int port) {

		public String host() {
			return this.slug + "." + GatewayTestProperties.BASE_DOMAIN;
		}

		public String url(String path) {
			return "http://" + host() + ":" + this.port + path;
		}

	}

}
