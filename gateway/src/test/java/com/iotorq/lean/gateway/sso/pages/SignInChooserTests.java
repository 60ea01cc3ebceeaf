package com.iotorq.lean.gateway.sso.pages;

import java.net.URI;

import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.mock.web.server.MockWebSession;

import com.iotorq.lean.gateway.tenant.SsoSettings.Mode;
import com.iotorq.lean.gateway.tenant.Tenant;
import com.iotorq.lean.gateway.tenant.TenantAttributes;
import com.iotorq.lean.gateway.test.CapturingChain;
import com.iotorq.lean.gateway.test.TestSsoSettings;
import com.iotorq.lean.gateway.test.TestTenants;
import com.iotorq.lean.gateway.web.ErrorCode;
import com.iotorq.lean.gateway.web.GatewayException;
import com.iotorq.lean.gateway.web.GatewayPaths;

import static org.assertj.core.api.Assertions.assertThat;

class SignInChooserTests {

	private static final String PASSWORD_LOGIN = "/accounts/login/";

	private final SignInChooser chooser = new SignInChooser(new SignInChooserProperties(PASSWORD_LOGIN, "next"));

	private final Tenant optional = TestTenants.tenant()
		.slug("acme")
		.displayName("Acme Corp")
		.sso(TestSsoSettings.entra().mode(Mode.OPTIONAL))
		.build();

	private final Tenant required = TestTenants.tenant()
		.slug("acme")
		.sso(TestSsoSettings.entra().mode(Mode.REQUIRED))
		.build();

	private final MockWebSession session = new MockWebSession();

	private final CapturingChain chain = new CapturingChain();

	@Test
	void filterWhenChooserAskedForWhereSignInIsOptionalThenBothWaysOffered() {
		MockServerWebExchange exchange = exchange(MockServerHttpRequest.get(url(GatewayPaths.CHOOSER + "?next=/app")),
				this.optional);

		this.chooser.filter(exchange, this.chain).block();

		assertThat(this.chain.called()).isFalse();
		assertThat(exchange.getResponse().getBodyAsString().block()).contains("Sign in to Acme Corp")
			.contains("Sign in with Microsoft")
			.contains(GatewayPaths.LOGIN + "?next=/app")
			.contains("Sign in with your ioTORQ LEAN password");
	}

	@Test
	void filterWhenChooserAskedForWhereSignInIsRequiredThenStraightToSignIn() {
		MockServerWebExchange exchange = exchange(MockServerHttpRequest.get(url(GatewayPaths.CHOOSER + "?next=/app")),
				this.required);

		this.chooser.filter(exchange, this.chain).block();

		assertRedirect(exchange, GatewayPaths.LOGIN + "?next=/app");
	}

	@Test
	void filterWhenPasswordChosenThenToThePasswordLoginOnceAndThenTheChooserAgain() {
		MockServerWebExchange choice = exchange(MockServerHttpRequest.post(url(GatewayPaths.CHOOSER))
			.contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.body("method=password&next=/app"), this.optional);

		this.chooser.filter(choice, this.chain).block();

		assertRedirect(choice, PASSWORD_LOGIN + "?next=/app");
		MockServerWebExchange login = exchange(MockServerHttpRequest.get(url(PASSWORD_LOGIN + "?next=/app")),
				this.optional);
		assertThat(this.chooser.intercepts(login, this.optional)).isTrue();
		assertThat(this.chooser.passwordLogin(login, this.optional).block()).isFalse();
		assertThat(login.getResponse().getStatusCode()).isNull();

		MockServerWebExchange again = exchange(MockServerHttpRequest.get(url(PASSWORD_LOGIN)), this.optional);
		assertThat(this.chooser.passwordLogin(again, this.optional).block()).isTrue();
		assertThat(again.getResponse().getBodyAsString().block()).contains("Sign in with Microsoft");
	}

	@Test
	void filterWhenMicrosoftChosenOrSignInRequiredThenToSignIn() {
		MockServerWebExchange microsoft = exchange(MockServerHttpRequest.post(url(GatewayPaths.CHOOSER))
			.contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.body("method=microsoft&next=/app"), this.optional);
		this.chooser.filter(microsoft, this.chain).block();
		assertRedirect(microsoft, GatewayPaths.LOGIN + "?next=/app");

		MockServerWebExchange password = exchange(MockServerHttpRequest.post(url(GatewayPaths.CHOOSER))
			.contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.body("method=password&next=/app"), this.required);
		this.chooser.filter(password, this.chain).block();
		assertRedirect(password, GatewayPaths.LOGIN + "?next=/app");
		assertThat(this.session.getAttributes()).doesNotContainKey(SignInChooser.PASSWORD_CHOSEN);
	}

	@Test
	void filterWhenOtherPathOrNoOrganisationThenPassedOnAndWithoutSsoThenRefused() {
		MockServerWebExchange other = exchange(MockServerHttpRequest.get(url(GatewayPaths.LOGIN)), this.optional);
		this.chooser.filter(other, this.chain).block();
		assertThat(this.chain.exchange()).isSameAs(other);

		MockServerWebExchange noTenant = exchange(MockServerHttpRequest.get(url(GatewayPaths.CHOOSER)), null);
		this.chooser.filter(noTenant, this.chain).block();
		assertThat(this.chain.exchange()).isSameAs(noTenant);

		MockServerWebExchange withoutSso = exchange(MockServerHttpRequest.get(url(GatewayPaths.CHOOSER)),
				TestTenants.tenant("acme"));
		StepVerifier.create(this.chooser.filter(withoutSso, this.chain))
			.expectErrorSatisfies(ex -> assertThat(ex).isInstanceOfSatisfying(GatewayException.class,
					refused -> assertThat(refused.code()).isEqualTo(ErrorCode.SSO_NOT_ENABLED)))
			.verify();
		assertThat(this.chain.calls()).isEqualTo(2);
	}

	@Test
	void interceptsWhenBrowserAsksOptionalOrganisationsPasswordLoginThenTrueOtherwiseFalse() {
		assertThat(this.chooser.intercepts(exchange(MockServerHttpRequest.get(url(PASSWORD_LOGIN)), this.optional),
				this.optional))
			.isTrue();
		assertThat(this.chooser.intercepts(exchange(MockServerHttpRequest.get(url(PASSWORD_LOGIN)), this.required),
				this.required))
			.isFalse();
		assertThat(
				this.chooser.intercepts(exchange(MockServerHttpRequest.get(url("/app")), this.optional), this.optional))
			.isFalse();
		assertThat(this.chooser.intercepts(exchange(MockServerHttpRequest.post(url(PASSWORD_LOGIN)), this.optional),
				this.optional))
			.isFalse();
		assertThat(
				this.chooser.intercepts(
						exchange(MockServerHttpRequest.get(url(PASSWORD_LOGIN))
							.header(HttpHeaders.ACCEPT, MediaType.APPLICATION_JSON_VALUE), this.optional),
						this.optional))
			.isFalse();
	}

	private static void assertRedirect(MockServerWebExchange exchange, String location) {
		assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.FOUND);
		assertThat(exchange.getResponse().getHeaders().getLocation()).isEqualTo(URI.create(location));
		assertThat(exchange.getResponse().getHeaders().getCacheControl()).isEqualTo("no-store");
	}

	private static String url(String pathAndQuery) {
		return "https://acme.iotorq-lean.com" + pathAndQuery;
	}

	private MockServerWebExchange exchange(MockServerHttpRequest.BaseBuilder<?> request, Tenant tenant) {
		return exchange(request.build(), tenant);
	}

	private MockServerWebExchange exchange(MockServerHttpRequest request, Tenant tenant) {
		MockServerWebExchange exchange = MockServerWebExchange.builder(request).session(this.session).build();
		if (tenant != null) {
			exchange.getAttributes().put(TenantAttributes.TENANT, tenant);
		}
		return exchange;
	}

}
