package com.iotorq.lean.gateway.reliability;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.LoopResources;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.MediaType;

import com.iotorq.lean.gateway.test.GatewayTestProperties;
import com.iotorq.lean.gateway.test.ResilienceTestSupport;
import com.iotorq.lean.gateway.test.WebSocketEchoBackend;
import com.iotorq.lean.gateway.test.entra.TestEntra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * WebSocket upgrades through the catch-all route: a signed-in user's conversation reaches
 * the backend with the identity headers (and without the gateway's session cookie); an
 * anonymous upgrade on a path that needs sign-in, and one opened by another site's page,
 * are refused before any upgrade.
 */
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
class WebSocketIntegrationTests extends ResilienceTestSupport {

	private static final LoopResources LOOPS = LoopResources.create("ws-test-client", 1, true);

	private static final WebSocketEchoBackend webSockets = WebSocketEchoBackend.start();

	private static final JsonMapper json = JsonMapper.builder().build();

	@AfterAll
	static void stopBackend() {
		webSockets.close();
		LOOPS.dispose();
	}

	@Test
	@org.junit.jupiter.api.Order(2)
	void upgradeWhenSignedInThenProxiedWithIdentityHeadersAndWithoutTheSessionCookie() {
		Org acme = webSocketOrganisation();
		TestEntra.User ada = person(acme, "Ada Lovelace");
		String session = signedIn(acme, ada);

		// the second message comes after longer than lean.server.request-head-timeout (1
		// s): a
		// conversation is not a slow request head
		List<String> messages = client(acme, "LEAN_SESSION=" + session + "; theme=dark", ownOrigin(acme)).websocket()
			.uri("/ws/chat")
			.handle((in, out) -> in.receive()
				.asString()
				.take(3)
				.mergeWith(Mono
					.from(out.sendString(Flux.concat(Mono.just("hello"),
							Mono.delay(Duration.ofMillis(1500)).map(tick -> "still there"))))
					.then(Mono.<String>empty())))
			.collectList()
			.block(Duration.ofSeconds(15));

		assertThat(messages).hasSize(3);
		JsonNode headers = json.readTree(messages.get(0));
		assertThat(header(headers, "X-Lean-User-Email")).isEqualTo(ada.email());
		assertThat(header(headers, "X-Lean-User-Id")).isNotBlank();
		assertThat(header(headers, "X-Lean-Identity")).isNotBlank();
		assertThat(header(headers, "X-Lean-Tenant")).isEqualTo(acme.slug());
		assertThat(header(headers, "Cookie")).isEqualTo("theme=dark");
		assertThat(messages.get(1)).isEqualTo("echo:hello");
		assertThat(messages.get(2)).isEqualTo("echo:still there");
	}

	@Test
	@org.junit.jupiter.api.Order(1)
	void upgradeWhenAnonymousOnAPathThatNeedsSignInThenRefusedBeforeUpgrading() {
		Org acme = webSocketOrganisation();
		int upgrades = webSockets.upgrades().size();
		Throwable refused = catchThrowable(() -> client(acme, null, null).websocket()
			.uri("/ws/chat")
			.handle((in, out) -> in.receive().asString())
			.blockLast(Duration.ofSeconds(15)));
		assertThat(refused).isInstanceOf(WebSocketClientHandshakeException.class);
		int status = ((WebSocketClientHandshakeException) refused).response().status().code();
		assertThat(status).isIn(302, 401);
		assertThat(webSockets.upgrades()).hasSize(upgrades);
	}

	@Test
	@org.junit.jupiter.api.Order(3)
	void upgradeWhenOpenedByAnotherSitesPageThenRefusedBeforeUpgrading() {
		Org acme = webSocketOrganisation();
		String session = signedIn(acme, person(acme, "Grace Hopper"));
		int upgrades = webSockets.upgrades().size();

		// a page of another organisation's subdomain: the same site, so the browser sends
		// the cookie
		String sibling = "http://globex." + GatewayTestProperties.BASE_DOMAIN + ":" + this.port;
		Throwable refused = catchThrowable(() -> client(acme, "LEAN_SESSION=" + session, sibling).websocket()
			.uri("/ws/chat")
			.handle((in, out) -> in.receive().asString())
			.blockLast(Duration.ofSeconds(15)));

		assertThat(refused).isInstanceOf(WebSocketClientHandshakeException.class);
		assertThat(((WebSocketClientHandshakeException) refused).response().status().code()).isEqualTo(403);
		assertThat(webSockets.upgrades()).hasSize(upgrades);
	}

	/** Signs the person in through the browser; their session cookie's value. */
	private String signedIn(Org org, TestEntra.User person) {
		assertThat(signIn(org, person, "/").status()).isEqualTo(302);
		return this.browser.cookie(org.host(), "LEAN_SESSION");
	}

	/** An organisation requiring sign-in whose backend is the WebSocket echo server. */
	private Org webSocketOrganisation() {
		Org org = organisation();
		this.admin.put()
			.uri("/admin/tenants/{slug}", org.slug())
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("displayName", "WebSocket Org", "backendUri", webSockets.uri().toString()))
			.exchange()
			.expectStatus()
			.isOk();
		return org;
	}

	/**
	 * A client as a browser's page would open it: with its cookie and the page's origin,
	 * if given.
	 */
	private HttpClient client(Org org, String cookie, String origin) {
		return HttpClient.newConnection().runOn(LOOPS).baseUrl("ws://127.0.0.1:" + this.port).headers(headers -> {
			headers.set(HttpHeaderNames.HOST, org.host() + ":" + this.port);
			if (cookie != null) {
				headers.set(HttpHeaderNames.COOKIE, cookie);
			}
			if (origin != null) {
				headers.set(HttpHeaderNames.ORIGIN, origin);
			}
		});
	}

	private String ownOrigin(Org org) {
		return "http://" + org.host() + ":" + this.port;
	}

	private static String header(JsonNode headers, String name) {
		for (var entry : headers.properties()) {
			if (entry.getKey().equalsIgnoreCase(name)) {
				return String.join(", ", entry.getValue().valueStream().map(JsonNode::asString).toList());
			}
		}
		return null;
	}

}
