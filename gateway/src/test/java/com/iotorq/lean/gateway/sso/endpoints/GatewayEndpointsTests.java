package com.iotorq.lean.gateway.sso.endpoints;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

import org.springframework.http.HttpMethod;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.server.WebFilter;

import com.iotorq.lean.gateway.test.CapturingChain;
import com.iotorq.lean.gateway.web.ErrorCode;
import com.iotorq.lean.gateway.web.GatewayException;
import com.iotorq.lean.gateway.web.GatewayPaths;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GatewayEndpointsTests {

	/** Which of the endpoints' filters a request went through, in order. */
	private final List<String> passed = new CopyOnWriteArrayList<>();

	private final GatewayEndpoints endpoints = new GatewayEndpoints(passing("accountPages"), passing("signInLimits"),
			passing("signInPages"), passing("signInChain"), passing("chooser"), passing("setupPages"),
			passing("setupCallback"));

	private final CapturingChain chain = new CapturingChain();

	@Test
	void isEndpointWhenSignInAccountOrSetupPathThenTrue() {
		for (String path : new String[] { GatewayPaths.LOGIN, GatewayPaths.CALLBACK,
				GatewayPaths.CALLBACK_WITHOUT_SLASH, GatewayPaths.LOGOUT, GatewayPaths.ADMIN_CONSENT,
				GatewayPaths.CHOOSER, "/account", GatewayPaths.ACCOUNT_ACTIVATE, GatewayPaths.SETUP,
				GatewayPaths.SETUP_CERTIFICATE }) {
			assertThat(this.endpoints.isEndpoint(exchange(HttpMethod.GET, path))).as(path).isTrue();
		}
	}

	@Test
	void isEndpointWhenBackendPathThenFalse() {
		for (String path : new String[] { "/", "/app", "/accounts", "/oauth", "/oauth/loginx", "/oauth/setupx",
				"/api/account" }) {
			assertThat(this.endpoints.isEndpoint(exchange(HttpMethod.GET, path))).as(path).isFalse();
		}
	}

	@Test
	void handleWhenSignInEndpointThenItsFiltersInOrderThenTheChain() {
		this.endpoints.handle(exchange(HttpMethod.GET, GatewayPaths.LOGIN), this.chain).block();

		assertThat(this.passed).containsExactly("signInLimits", "setupCallback", "signInPages", "signInChain",
				"chooser");
		assertThat(this.chain.called()).isTrue();
	}

	@Test
	void handleWhenAccountOrSetupPageThenOnlyItsOwnFilter() {
		this.endpoints.handle(exchange(HttpMethod.POST, GatewayPaths.ACCOUNT_ACTIVATE), this.chain).block();
		assertThat(this.passed).containsExactly("accountPages");

		this.passed.clear();
		this.endpoints.handle(exchange(HttpMethod.POST, GatewayPaths.SETUP), this.chain).block();
		assertThat(this.passed).containsExactly("setupPages");
	}

	@Test
	void handleWhenSignInEndpointAskedForWithAnotherMethodThen405WithAllowAndNoFilter() {
		MockServerWebExchange exchange = exchange(HttpMethod.POST, GatewayPaths.LOGIN);

		assertThatThrownBy(() -> this.endpoints.handle(exchange, this.chain)).isInstanceOfSatisfying(
				GatewayException.class, refused -> assertThat(refused.code()).isEqualTo(ErrorCode.METHOD_NOT_ALLOWED));

		assertThat(exchange.getResponse().getHeaders().getAllow()).containsExactly(HttpMethod.GET);
		assertThat(this.passed).isEmpty();
		assertThat(this.chain.called()).isFalse();
	}

	private WebFilter passing(String name) {
		return (exchange, chain) -> {
			this.passed.add(name);
			return chain.filter(exchange);
		};
	}

	private static MockServerWebExchange exchange(HttpMethod method, String path) {
		return MockServerWebExchange.from(MockServerHttpRequest.method(method, "https://acme.iotorq-lean.com" + path));
	}

}
