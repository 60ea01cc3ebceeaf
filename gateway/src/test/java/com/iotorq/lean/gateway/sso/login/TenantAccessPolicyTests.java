package com.iotorq.lean.gateway.sso.login;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.security.authentication.TestingAuthenticationToken;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.web.server.authorization.AuthorizationContext;

import com.iotorq.lean.gateway.config.BenchAblation;
import com.iotorq.lean.gateway.tenant.SsoSettings;
import com.iotorq.lean.gateway.tenant.Tenant;
import com.iotorq.lean.gateway.tenant.TenantAttributes;
import com.iotorq.lean.gateway.test.TestLeanUsers;
import com.iotorq.lean.gateway.test.TestSsoSettings;
import com.iotorq.lean.gateway.test.TestTenants;

import static org.assertj.core.api.Assertions.assertThat;

class TenantAccessPolicyTests {

	private final TenantAccessPolicy policy = new TenantAccessPolicy(List.of("/favicon.ico", "/public/**"),
			BenchAblation.none());

	private final Tenant required = TestTenants.tenant()
		.slug("acme")
		.sso(TestSsoSettings.entra().mode(SsoSettings.Mode.REQUIRED))
		.build();

	@Test
	void checkWhenOrganisationHasNoSsoOrOptionalSignInThenAnyonePasses() {
		Tenant withoutSso = TestTenants.tenant("acme");
		Tenant optional = TestTenants.tenant()
			.slug("acme")
			.sso(TestSsoSettings.entra().mode(SsoSettings.Mode.OPTIONAL))
			.build();

		assertThat(this.policy.check(exchange("/app"), withoutSso, null)).isNull();
		assertThat(this.policy.check(exchange("/app"), optional, null)).isNull();
	}

	@Test
	void checkWhenSignInRequiredAndNobodySignedInThenSentToSignInAndBack() {
		MockServerWebExchange exchange = exchange("/app/orders?id=7");

		Mono<Void> answer = this.policy.check(exchange, this.required, null);

		assertThat(answer).isNotNull();
		answer.block();
		assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.FOUND);
		assertThat(exchange.getResponse().getHeaders().getLocation())
			.hasToString("/oauth/login?next=/app/orders?id%3D7");
		assertThat(exchange.getResponse().getHeaders().getCacheControl()).isEqualTo("no-store");
	}

	@Test
	void checkWhenSignInRequiredAndScriptWithoutSessionThen401ProblemJson() {
		MockServerWebExchange exchange = MockServerWebExchange
			.from(MockServerHttpRequest.get("https://acme.iotorq-lean.com/api/orders")
				.accept(MediaType.APPLICATION_JSON));

		this.policy.check(exchange, this.required, null).block();

		assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
		assertThat(exchange.getResponse().getHeaders().getContentType().toString()).contains("problem+json");
	}

	@Test
	void checkWhenSignedInToThisOrganisationThenPassesAndToAnotherThenSentToSignIn() {
		assertThat(this.policy.check(exchange("/app"), this.required, TestLeanUsers.signedInTo(this.required)))
			.isNull();

		Tenant globex = TestTenants.tenant().slug("globex").sso(TestSsoSettings.entra()).build();
		MockServerWebExchange exchange = exchange("/app");
		this.policy.check(exchange, this.required, TestLeanUsers.signedInTo(globex)).block();
		assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.FOUND);
	}

	@Test
	void checkWhenPublicPathThenPassesWithoutSignIn() {
		assertThat(this.policy.check(exchange("/favicon.ico"), this.required, null)).isNull();
		assertThat(this.policy.check(exchange("/public/logo.svg"), this.required, null)).isNull();
		assertThat(this.policy.check(exchange("/favicon.ico.html"), this.required, null)).isNotNull();
	}

	@Test
	void checkWhenSessionSwitchedOffForMeasuringThenEveryonePasses() {
		TenantAccessPolicy off = new TenantAccessPolicy(List.of(),
				new BenchAblation(Set.of(BenchAblation.Feature.SESSION)));
		assertThat(off.check(exchange("/app"), this.required, null)).isNull();
	}

	@Test
	void authorizeWhenSpringSecurityAsksThenTheSameRule() {
		MockServerWebExchange exchange = exchange("/oauth/choose");
		exchange.getAttributes().put(TenantAttributes.TENANT, this.required);
		AuthorizationContext context = new AuthorizationContext(exchange);
		var user = TestLeanUsers.signedInTo(this.required);
		var signedIn = new TestingAuthenticationToken(user, null, "ROLE_USER");

		AuthorizationResult anonymous = this.policy.authorize(Mono.empty(), context).block();
		AuthorizationResult member = this.policy.authorize(Mono.just(signedIn), context).block();

		assertThat(anonymous.isGranted()).isFalse();
		assertThat(member.isGranted()).isTrue();
	}

	private static MockServerWebExchange exchange(String pathAndQuery) {
		return MockServerWebExchange.from(MockServerHttpRequest.get("https://acme.iotorq-lean.com" + pathAndQuery));
	}

}
