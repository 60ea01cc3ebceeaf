package com.iotorq.lean.gateway.sso.oidc;

import org.junit.jupiter.api.Test;

import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;
import org.springframework.web.server.WebSession;

import static org.assertj.core.api.Assertions.assertThat;

class PendingSignInsTests {

	private final PendingSignIns pending = new PendingSignIns();

	@Test
	void saveWhenManyStartedThenOnlyTheNewestKeptAndEachUsableOnce() {
		MockServerWebExchange start = MockServerWebExchange.from(MockServerHttpRequest.get("/oauth/login"));
		WebSession session = start.getSession().block();
		for (int i = 0; i < 8; i++) {
			this.pending.saveAuthorizationRequest(request("state-" + i), start).block();
		}
		assertThat(callback("state-2", session)).isNull();
		assertThat(callback("state-7", session)).isNotNull();
		assertThat(callback("state-7", session)).as("used once").isNull();
		assertThat(callback("state-3", session)).isNotNull();
	}

	private OAuth2AuthorizationRequest callback(String state, WebSession session) {
		MockServerWebExchange exchange = MockServerWebExchange
			.builder(MockServerHttpRequest.get("/oauth/complete/?state=" + state))
			.session(session)
			.build();
		return this.pending.removeAuthorizationRequest(exchange).block();
	}

	private static OAuth2AuthorizationRequest request(String state) {
		return OAuth2AuthorizationRequest.authorizationCode()
			.authorizationUri("https://login.example/authorize")
			.clientId("client")
			.state(state)
			.build();
	}

}
