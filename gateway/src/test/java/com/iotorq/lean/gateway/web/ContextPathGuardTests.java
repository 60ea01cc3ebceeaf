package com.iotorq.lean.gateway.web;

import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.http.server.reactive.ContextPathCompositeHandler;
import org.springframework.http.server.reactive.HttpHandler;

import org.springframework.test.web.reactive.server.HttpHandlerConnector;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.server.adapter.WebHttpHandlerBuilder;

class ContextPathGuardTests {

	@Test
	void requestWhenItHasAContextPathThenRefusedAndNotPassedOn() {
		HttpHandler gateway = WebHttpHandlerBuilder.webHandler(exchange -> exchange.getResponse().setComplete())
			.filter(new ContextPathGuard())
			.exceptionHandler(new GatewayErrorHandler())
			.build();
		// what spring.webflux.base-path does
		WebTestClient client = WebTestClient
			.bindToServer(new HttpHandlerConnector(new ContextPathCompositeHandler(Map.of("/api", gateway))))
			.build();
		client.get().uri("/api/oauth/x").exchange().expectStatus().isEqualTo(500);
	}

	@Test
	void requestWhenNoContextPathThenPassedOn() {
		WebTestClient client = WebTestClient
			.bindToServer(new HttpHandlerConnector(WebHttpHandlerBuilder
				.webHandler(exchange -> exchange.getResponse().setComplete())
				.filter(new ContextPathGuard())
				.exceptionHandler(new GatewayErrorHandler())
				.build()))
			.build();
		client.get().uri("/oauth/x").exchange().expectStatus().isOk();
	}

}
