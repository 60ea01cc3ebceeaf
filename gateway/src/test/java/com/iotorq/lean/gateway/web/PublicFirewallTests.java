package com.iotorq.lean.gateway.web;

import java.net.URI;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.http.server.reactive.ContextPathCompositeHandler;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.test.web.reactive.server.HttpHandlerConnector;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.server.adapter.WebHttpHandlerBuilder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pipeline's firewall step alone, in front of a handler that records what it
 * received.
 */
class PublicFirewallTests {

	private final PublicFirewall firewall = new PublicFirewall();

	private final AtomicReference<String> received = new AtomicReference<>();

	private final HttpHandler gateway = WebHttpHandlerBuilder.webHandler(exchange -> {
		this.received.set(exchange.getRequest().getPath().value());
		return exchange.getResponse().setComplete();
	}).filter((exchange, chain) -> {
		try {
			return chain.filter(this.firewall.check(exchange));
		}
		catch (GatewayException refused) {
			return Mono.error(refused);
		}
	}).exceptionHandler(new GatewayErrorHandler()).build();

	private final WebTestClient client = WebTestClient.bindToServer(new HttpHandlerConnector(this.gateway)).build();

	@Test
	void requestWhenItHasAContextPathThenRefusedAndNotPassedOn() {
		// what spring.webflux.base-path does
		WebTestClient withContextPath = WebTestClient
			.bindToServer(new HttpHandlerConnector(new ContextPathCompositeHandler(Map.of("/api", this.gateway))))
			.build();
		withContextPath.get().uri("/api/oauth/x").exchange().expectStatus().isEqualTo(500);
		assertThat(this.received).hasNullValue();
	}

	@Test
	void requestWhenNoContextPathThenPassedOn() {
		this.client.get().uri("/oauth/x").exchange().expectStatus().isOk();
		assertThat(this.received).hasValue("/oauth/x");
	}

	@Test
	void requestWhenPathEncodesUnreservedCharactersThenPassedOnDecoded() {
		this.client.get().uri(URI.create("/oauth/logi%6E")).exchange().expectStatus().isOk();
		assertThat(this.received).hasValue("/oauth/login");
	}

	@Test
	void requestWhenPathIsNotNormalisedThenRefusedWithTheGatewaysBadRequest() {
		for (String path : new String[] { "/a;jsessionid=1/b", "/a/%2e%2e/b", "/a//b", "/a%2Fb" }) {
			this.client.get()
				.uri(URI.create(path))
				.exchange()
				.expectStatus()
				.isBadRequest()
				.expectHeader()
				.exists("X-Lean-Error");
		}
		assertThat(this.received).hasNullValue();
	}

}
