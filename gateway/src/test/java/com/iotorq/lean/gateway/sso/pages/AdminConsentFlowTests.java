package com.iotorq.lean.gateway.sso.pages;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.mock.web.server.MockWebSession;

import com.iotorq.lean.gateway.sso.provider.IdentityProviders;
import com.iotorq.lean.gateway.tenant.Tenant;
import com.iotorq.lean.gateway.test.TestTenants;
import com.iotorq.lean.gateway.web.ErrorCode;
import com.iotorq.lean.gateway.web.GatewayException;
import com.iotorq.lean.gateway.web.GatewayPaths;

import static org.assertj.core.api.Assertions.assertThat;

class AdminConsentFlowTests {

	private static final Instant NOW = Instant.parse("2026-12-03T12:00:00Z");

	@Test
	void completeWhenSsoTurnedOffWhileAtTheProviderThenSsoNotEnabled() {
		// consent started while the organisation had SSO settings; they were deleted
		// before the provider answered
		Tenant withoutSso = TestTenants.tenant().slug("acme").at(NOW).build();
		MockWebSession session = new MockWebSession();
		session.getAttributes().put(AdminConsentFlow.ATTRIBUTE, new AdminConsentFlow.Pending("state-1", "acme", NOW));
		MockServerWebExchange exchange = MockServerWebExchange
			.builder(MockServerHttpRequest.get(GatewayPaths.CALLBACK + "?state=state-1&admin_consent=True"))
			.session(session)
			.build();
		AdminConsentFlow flow = new AdminConsentFlow(new IdentityProviders(List.of()),
				Clock.fixed(NOW, ZoneOffset.UTC));
		flow.complete(exchange, withoutSso)
			.as(StepVerifier::create)
			.expectErrorSatisfies(ex -> assertThat(ex).isInstanceOfSatisfying(GatewayException.class,
					refused -> assertThat(refused.code()).isEqualTo(ErrorCode.SSO_NOT_ENABLED)))
			.verify();
	}

}
