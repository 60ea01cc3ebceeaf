package com.iotorq.lean.gateway.routing;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import com.iotorq.lean.gateway.test.EchoBackend;
import com.iotorq.lean.gateway.test.GatewayTestProperties;
import com.iotorq.lean.gateway.test.RawHttp;
import com.iotorq.lean.gateway.test.TestSchema;
import com.iotorq.lean.gateway.tenant.TenantDirectory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Requests through the public port to a real HTTP backend: tenant resolution, header
 * hygiene, per-tenant backends and the pages for everything that goes wrong.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "spring.cloud.gateway.server.webflux.httpclient.response-timeout=1s",
				"spring.cloud.gateway.server.webflux.httpclient.connect-timeout=500" })
class RoutingIntegrationTests {

	static final EchoBackend backend = EchoBackend.start();

	static final EchoBackend ownBackend = EchoBackend.start();

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		GatewayTestProperties.register(registry);
		registry.add("lean.backend.default-uri", () -> backend.uri().toString());
	}

	@AfterAll
	static void stopBackends() {
		backend.close();
		ownBackend.close();
	}

	@LocalServerPort
	int port;

	@Autowired
	TenantDirectory directory;

	WebTestClient client;

	@BeforeEach
	void setUp() {
		this.client = WebTestClient.bindToServer()
			.responseTimeout(java.time.Duration.ofSeconds(30))
			.baseUrl("http://127.0.0.1:" + this.port)
			.responseTimeout(Duration.ofSeconds(30))
			.build();
		TestSchema.execute("DELETE FROM tenant WHERE slug IN ('acme', 'globex', 'initech')");
		TestSchema.insertTenant("acme", "Acme Corporation");
		TestSchema.insertTenant("globex", "Globex");
		TestSchema.execute("UPDATE tenant SET backend_uri = ? WHERE slug = 'globex'", ownBackend.uri() + "/base");
		this.directory.evict("acme");
		this.directory.evict("globex");
		this.directory.evict("initech");
		backend.clear();
		ownBackend.clear();
	}

	@Test
	void requestWhenTenantKnownThenForwardedWithTenantHeader() {
		get("acme", "/reports/42?x=1").expectStatus().isOk();
		EchoBackend.Received received = backend.last();
		assertThat(received.uri()).isEqualTo("/reports/42?x=1");
		assertThat(received.header("X-Lean-Tenant")).containsExactly("acme");
	}

	@Test
	void requestWhenClientSendsLeanHeadersInAnySpellingThenNoneReachesTheBackend() {
		this.client.get()
			.uri("/whoami")
			.header("Host", "acme." + GatewayTestProperties.BASE_DOMAIN)
			.header("X-Lean-Tenant", "globex")
			.header("x-lean-user-email", "ceo@globex.example")
			.header("X_Lean_User_Email", "ceo@globex.example")
			.header("X-LEAN-USER-ID", "1")
			.header("x_lean_identity", "forged")
			.header("X-Leaner", "kept")
			.exchange()
			.expectStatus()
			.isOk();
		EchoBackend.Received received = backend.last();
		assertThat(received.header("X-Lean-Tenant")).containsExactly("acme");
		assertThat(received.headers().keySet())
			.noneMatch(name -> name.toLowerCase().replace('_', '-').startsWith("x-lean-")
					&& !name.equalsIgnoreCase("X-Lean-Tenant"));
		assertThat(received.header("X-Leaner")).containsExactly("kept");
	}

	@Test
	void requestWhenTenantHasNoSsoThenSecurityHeadersAsFromSpringSecurity() {
		get("acme", "/reports").expectStatus()
			.isOk()
			.expectHeader()
			.valueEquals("X-Content-Type-Options", "nosniff")
			.expectHeader()
			.valueEquals("X-Frame-Options", "SAMEORIGIN")
			.expectHeader()
			.valueEquals("Referrer-Policy", "no-referrer")
			.expectHeader()
			.valueEquals("X-XSS-Protection", "0");
	}

	@Test
	void requestWhenTenantHasNoSsoAndPathMalformedThenRefusedByTheFirewall() {
		for (String path : new String[] { "/a;jsessionid=1/admin", "/a%2F..%2Fadmin", "/a//b", "/%2e%2e/x" }) {
			RawHttp.Reply reply = RawHttp.send(
					this.port, RawHttp.ascii("GET " + path + " HTTP/1.1\r\nHost: acme."
							+ GatewayTestProperties.BASE_DOMAIN + "\r\nConnection: close\r\n\r\n"),
					Duration.ofSeconds(10));
			assertThat(reply.status()).as(path).isEqualTo(400);
			assertThat(reply.head()).as(path).containsIgnoringCase("X-Lean-Error: bad-request");
		}
		assertThat(backend.received()).isEmpty();
	}

	@Test
	void requestWhenClientSendsSessionCookieThenOnlyTheOtherCookiesReachTheBackend() {
		this.client.get()
			.uri("/reports")
			.header("Host", "acme." + GatewayTestProperties.BASE_DOMAIN)
			.header("Cookie", "theme=dark; LEAN_SESSION=0c6d1b0e-4f1e-4a57-9a43-2a3b1f0f7d11; lang=de")
			.exchange()
			.expectStatus()
			.isOk();
		assertThat(backend.last().header("Cookie")).containsExactly("theme=dark; lang=de");
	}

	@Test
	void requestWhenClientSendsHttpsSessionCookieThenNeitherSessionCookieReachesTheBackend() {
		this.client.get()
			.uri("/reports")
			.header("Host", "acme." + GatewayTestProperties.BASE_DOMAIN)
			.header("Cookie", "__Host-LEAN_SESSION=0c6d1b0e; theme=dark; LEAN_SESSION=5e2a; lang=de")
			.exchange()
			.expectStatus()
			.isOk();
		assertThat(backend.last().header("Cookie")).containsExactly("theme=dark; lang=de");
	}

	@Test
	void stateChangeWhenOriginIsASiblingOrganisationThenRefusedBeforeTheBackend() {
		// globex's pages are the same site as acme's: SameSite=Lax cookies go along with
		// their requests
		for (HttpMethod method : new HttpMethod[] { HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH,
				HttpMethod.DELETE }) {
			for (String origin : new String[] { "http://globex." + GatewayTestProperties.BASE_DOMAIN,
					"https://acme." + GatewayTestProperties.BASE_DOMAIN,
					"http://acme." + GatewayTestProperties.BASE_DOMAIN + ":8443", "null" }) {
				stateChange(method, "/reports/42", Map.of("Origin", origin)).accept(MediaType.TEXT_HTML)
					.exchange()
					.expectStatus()
					.isForbidden()
					.expectHeader()
					.valueEquals("X-Lean-Error", "forbidden")
					.expectBody(String.class)
					.value(page -> assertThat(page).as(method + " from " + origin)
						.contains("another site")
						.doesNotContain("Exception"));
			}
		}
		stateChange(HttpMethod.POST, "/api/orders",
				Map.of("Origin", "http://globex." + GatewayTestProperties.BASE_DOMAIN))
			.accept(MediaType.APPLICATION_JSON)
			.exchange()
			.expectStatus()
			.isForbidden()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.code")
			.isEqualTo("forbidden");
		assertThat(backend.received()).isEmpty();
	}

	@Test
	void stateChangeWhenFetchMetadataSaysSameSiteOrCrossSiteThenRefusedBeforeTheBackend() {
		for (String site : new String[] { "same-site", "cross-site" }) {
			stateChange(HttpMethod.POST, "/reports", Map.of("Sec-Fetch-Site", site)).exchange()
				.expectStatus()
				.isForbidden();
			// the Origin header alone does not outvote the browser's own verdict
			stateChange(HttpMethod.DELETE, "/reports/42",
					Map.of("Sec-Fetch-Site", site, "Origin", "http://acme." + GatewayTestProperties.BASE_DOMAIN))
				.exchange()
				.expectStatus()
				.isForbidden();
		}
		assertThat(backend.received()).isEmpty();
	}

	@Test
	void stateChangeWhenSameOriginOrWithoutBrowserHeadersThenForwarded() {
		String own = "http://acme." + GatewayTestProperties.BASE_DOMAIN;
		stateChange(HttpMethod.POST, "/reports", Map.of("Origin", own, "Sec-Fetch-Site", "same-origin")).exchange()
			.expectStatus()
			.isOk();
		stateChange(HttpMethod.PUT, "/reports/42", Map.of("Origin", own.toUpperCase(java.util.Locale.ROOT))).exchange()
			.expectStatus()
			.isOk();
		// a page whose Referrer-Policy hides its origin: the browser itself says it is
		// this origin
		stateChange(HttpMethod.PATCH, "/reports/42", Map.of("Origin", "null", "Sec-Fetch-Site", "same-origin"))
			.exchange()
			.expectStatus()
			.isOk();
		// API clients send neither header
		stateChange(HttpMethod.DELETE, "/reports/42", Map.of()).exchange().expectStatus().isOk();
		// reading is never refused: links and images from other sites keep working
		this.client.get()
			.uri("/reports")
			.header("Host", "acme." + GatewayTestProperties.BASE_DOMAIN)
			.header("Origin", "http://globex." + GatewayTestProperties.BASE_DOMAIN)
			.header("Sec-Fetch-Site", "cross-site")
			.exchange()
			.expectStatus()
			.isOk();
		assertThat(backend.received()).extracting(EchoBackend.Received::method)
			.containsExactly("POST", "PUT", "PATCH", "DELETE", "GET");
	}

	@Test
	void responseWhenBackendSetsCookieForTheWholeSiteThenHostOnly() {
		String path = "/login?set-cookie=" + encode("sid=1; Domain=.lean.test; Path=/; Secure; HttpOnly; SameSite=Lax")
				+ "&set-cookie=" + encode("theme=dark;domain=lean.test;Max-Age=60") + "&set-cookie="
				+ encode("lang=de; Path=/app; DOMAIN = acme.lean.test ; Expires=Wed, 09 Jun 2027 10:18:14 GMT")
				+ "&set-cookie=" + encode("domain=value; Path=/");
		this.client.get()
			.uri(URI.create("http://127.0.0.1:" + this.port + path))
			.header("Host", "acme." + GatewayTestProperties.BASE_DOMAIN)
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.values("Set-Cookie",
					cookies -> assertThat(cookies).containsExactly("sid=1; Path=/; Secure; HttpOnly; SameSite=Lax",
							"theme=dark;Max-Age=60", "lang=de; Path=/app; Expires=Wed, 09 Jun 2027 10:18:14 GMT",
							"domain=value; Path=/"));
	}

	private WebTestClient.RequestHeadersSpec<?> stateChange(HttpMethod method, String path,
			Map<String, String> headers) {
		return this.client.method(method)
			.uri(path)
			.header("Host", "acme." + GatewayTestProperties.BASE_DOMAIN)
			.headers(h -> headers.forEach(h::set));
	}

	private static String encode(String value) {
		return java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8);
	}

	@Test
	void requestWhenNoTraceContextThenBackendGetsANewOneAndNoStrayTracestate() {
		this.client.get()
			.uri("/reports")
			.header("Host", "acme." + GatewayTestProperties.BASE_DOMAIN)
			.header("tracestate", "vendor=stale")
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.value("X-Request-Id", id -> assertThat(backend.last().header("traceparent")).singleElement()
				.satisfies(traceparent -> assertThat(traceparent).matches("00-" + id + "-[0-9a-f]{16}-01")));
		assertThat(backend.last().header("tracestate")).isNullOrEmpty();
	}

	@Test
	void requestWhenTenantHasOwnBackendThenSentThere() {
		get("globex", "/app/page?q=a%20b").expectStatus().isOk();
		assertThat(backend.received()).isEmpty();
		assertThat(ownBackend.last().uri()).isEqualTo("/base/app/page?q=a%20b");
		assertThat(ownBackend.last().header("X-Lean-Tenant")).containsExactly("globex");
	}

	@Test
	void requestWhenHostIsUpperCaseWithPortThenResolved() {
		this.client.get()
			.uri("/")
			.header("Host", "ACME." + GatewayTestProperties.BASE_DOMAIN.toUpperCase() + ":443")
			.exchange()
			.expectStatus()
			.isOk();
		assertThat(backend.last().header("X-Lean-Tenant")).containsExactly("acme");
	}

	@Test
	void requestWhenTenantUnknownThenReadable404Page() {
		String page = get("initech", "/").expectStatus()
			.isNotFound()
			.expectHeader()
			.contentTypeCompatibleWith(MediaType.TEXT_HTML)
			.expectHeader()
			.valueEquals("X-Lean-Error", "unknown-tenant")
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		assertThat(page).contains("<html lang=\"en\">", "Organisation not found",
				"There is no ioTORQ LEAN organisation");
		assertThat(backend.received()).isEmpty();
	}

	@Test
	void requestWhenTenantUnknownAndJsonWantedThenProblem() {
		this.client.get()
			.uri("/api/x")
			.header("Host", "initech." + GatewayTestProperties.BASE_DOMAIN)
			.accept(MediaType.APPLICATION_JSON)
			.exchange()
			.expectStatus()
			.isNotFound()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo(404)
			.jsonPath("$.code")
			.isEqualTo("unknown-tenant")
			.jsonPath("$.title")
			.isEqualTo("Organisation not found");
	}

	@Test
	void requestWhenHostIsNotATenantThenAnsweredWithoutForwarding() {
		host(GatewayTestProperties.BASE_DOMAIN).expectStatus().isNotFound();
		host("a.b." + GatewayTestProperties.BASE_DOMAIN).expectStatus().isNotFound();
		host("www." + GatewayTestProperties.BASE_DOMAIN).expectStatus().isNotFound();
		host("127.0.0.1").expectStatus().isBadRequest().expectHeader().valueEquals("X-Lean-Error", "invalid-host");
		host("acme.other.example").expectStatus().isBadRequest();
		host("-bad-." + GatewayTestProperties.BASE_DOMAIN).expectStatus().isBadRequest();
		assertThat(backend.received()).isEmpty();
	}

	@Test
	void requestWhenManagementPathOnPublicPortThenNotFound() {
		get("acme", "/actuator/health").expectStatus().isNotFound();
		get("acme", "/admin/tenants").expectStatus().isNotFound();
		get("acme", "/ADMIN/Tenants").expectStatus().isNotFound();
		get("acme", "/x/../admin/tenants").expectStatus().is4xxClientError();
		assertThat(backend.received()).isEmpty();
	}

	@Test
	void requestWhenBackendSlowThenGatewayTimeoutPage() {
		long started = System.nanoTime();
		get("acme", "/slow?ms=5000").expectStatus()
			.isEqualTo(504)
			.expectHeader()
			.valueEquals("X-Lean-Error", "backend-timeout")
			.expectBody(String.class)
			.value(page -> assertThat(page).contains("took too long"));
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(4));
	}

	@Test
	void requestWhenBackendDownThenBadGatewayPage() {
		TestSchema.execute("UPDATE tenant SET backend_uri = ? WHERE slug = 'acme'", "http://127.0.0.1:" + closedPort());
		this.directory.evict("acme");
		get("acme", "/").expectStatus()
			.isEqualTo(502)
			.expectHeader()
			.valueEquals("X-Lean-Error", "backend-unavailable")
			.expectBody(String.class)
			.value(page -> assertThat(page).contains("did not answer").doesNotContain("Exception"));
	}

	private WebTestClient.ResponseSpec get(String tenant, String path) {
		return this.client.get()
			.uri(URI.create("http://127.0.0.1:" + this.port + path))
			.header("Host", tenant + "." + GatewayTestProperties.BASE_DOMAIN)
			.accept(MediaType.TEXT_HTML)
			.exchange();
	}

	private static int closedPort() {
		try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (java.io.IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private WebTestClient.ResponseSpec host(String host) {
		return this.client.get().uri("/").header("Host", host).accept(MediaType.TEXT_HTML).exchange();
	}

}
