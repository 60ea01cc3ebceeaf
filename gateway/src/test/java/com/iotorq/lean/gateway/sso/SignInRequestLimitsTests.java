package com.iotorq.lean.gateway.sso;

import org.junit.jupiter.api.Test;

import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.test.web.reactive.server.HttpHandlerConnector;
import org.springframework.web.server.adapter.WebHttpHandlerBuilder;

import com.iotorq.lean.gateway.web.GatewayErrorHandler;

class SignInRequestLimitsTests {

	private final WebTestClient client = WebTestClient
		.bindToServer(new HttpHandlerConnector(WebHttpHandlerBuilder.webHandler(exchange -> exchange.getResponse().setComplete())
			.filter(new SignInRequestLimits(3))
			.exceptionHandler(new GatewayErrorHandler())
			.build()))
		.build();

	@Test
	void loginWhenOverTheLimitThenTooManyRequestsWithRetryAfter() {
		for (int i = 0; i < 3; i++) {
			this.client.get().uri("/oauth/login").exchange().expectStatus().isOk();
		}
		this.client.get()
			.uri("/oauth/login")
			.exchange()
			.expectStatus()
			.isEqualTo(429)
			.expectHeader()
			.valueEquals("Retry-After", "60")
			.expectHeader()
			.valueEquals("X-Lean-Error", "too-many-requests");
		// other paths are not limited here
		this.client.get().uri("/reports").exchange().expectStatus().isOk();
	}

	@Test
	void callbackWhenParameterRepeatedOrHugeThenBadRequest() {
		this.client.get().uri("/oauth/complete/?state=a&state=b").exchange().expectStatus().isBadRequest();
		this.client.get().uri("/oauth/complete/?code=" + "x".repeat(2100)).exchange().expectStatus().isBadRequest();
	}


}
