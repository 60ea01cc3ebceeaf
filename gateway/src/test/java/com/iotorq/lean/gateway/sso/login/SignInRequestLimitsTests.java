package com.iotorq.lean.gateway.sso.login;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.test.web.reactive.server.HttpHandlerConnector;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.server.adapter.WebHttpHandlerBuilder;

import com.iotorq.lean.gateway.observability.RequestRefusals;
import com.iotorq.lean.gateway.ratelimit.InMemoryRateLimiter;
import com.iotorq.lean.gateway.tenant.Tenant;
import com.iotorq.lean.gateway.tenant.TenantAttributes;
import com.iotorq.lean.gateway.test.TestTenants;
import com.iotorq.lean.gateway.web.GatewayErrorHandler;

import static org.assertj.core.api.Assertions.assertThat;

class SignInRequestLimitsTests {

	private static final String PEER = "X-Test-Peer";

	private final Tenant tenant = TestTenants.tenant("acme");

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	private final WebTestClient client = WebTestClient.bindToServer(
			new HttpHandlerConnector(WebHttpHandlerBuilder.webHandler(exchange -> exchange.getResponse().setComplete())
				.filter((exchange, chain) -> {
					exchange.getAttributes().put(TenantAttributes.TENANT, this.tenant);
					// the client address, as the trusted proxy's X-Forwarded-For would
					// set it
					String peer = exchange.getRequest().getHeaders().getFirst(PEER);
					return chain.filter((peer == null) ? exchange
							: exchange.mutate()
								.request(request -> request.remoteAddress(new InetSocketAddress(address(peer), 443)))
								.build());
				})
				.filter(new SignInRequestLimits(new InMemoryRateLimiter(), 3, new RequestRefusals(this.meters))::filter)
				.exceptionHandler(new GatewayErrorHandler())
				.build()))
		.build();

	@Test
	void loginWhenOverTheLimitThenTooManyRequestsWithRetryAfterAndCounted() {
		for (int i = 0; i < 3; i++) {
			this.client.get().uri("/oauth/login").exchange().expectStatus().isOk();
		}
		// 3 per minute: the next start is possible in 20 s
		this.client.get()
			.uri("/oauth/login")
			.exchange()
			.expectStatus()
			.isEqualTo(429)
			.expectHeader()
			.valueEquals("Retry-After", "20")
			.expectHeader()
			.valueEquals("X-Lean-Error", "too-many-requests");
		assertThat(this.meters.get("lean.requests.refused")
			.tag("reason", "sign-in")
			.tag("tenant", "acme")
			.counter()
			.count()).isEqualTo(1);
		// callbacks finish a counted start and other paths are not limited here
		this.client.get().uri("/oauth/complete/?state=a&code=b").exchange().expectStatus().isOk();
		this.client.get().uri("/reports").exchange().expectStatus().isOk();
	}

	@Test
	void loginWhenFromOtherAddressesOfOneIpv6NetworkThenCountedAsOneClient() {
		for (int i = 1; i <= 3; i++) {
			this.client.get().uri("/oauth/login").header(PEER, "2001:db8:1:2::" + i).exchange().expectStatus().isOk();
		}
		// a host holds its whole /64: another address of it is the same client
		this.client.get()
			.uri("/oauth/login")
			.header(PEER, "2001:db8:1:2:ffff::9")
			.exchange()
			.expectStatus()
			.isEqualTo(429);
		this.client.get().uri("/oauth/login").header(PEER, "2001:db8:1:3::1").exchange().expectStatus().isOk();
		this.client.get().uri("/oauth/login").header(PEER, "203.0.113.7").exchange().expectStatus().isOk();
	}

	@Test
	void callbackWhenParameterRepeatedOrHugeThenBadRequest() {
		this.client.get().uri("/oauth/complete/?state=a&state=b").exchange().expectStatus().isBadRequest();
		this.client.get().uri("/oauth/complete/?code=" + "x".repeat(2100)).exchange().expectStatus().isBadRequest();
	}

	/** An IP literal: no name is looked up. */
	private static InetAddress address(String literal) {
		try {
			return InetAddress.getByName(literal);
		}
		catch (UnknownHostException ex) {
			throw new IllegalArgumentException(literal, ex);
		}
	}

}
