package com.iotorq.lean.gateway.sso.pages;

import java.net.URI;
import java.time.Clock;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.mock.web.server.MockWebSession;
import org.springframework.web.util.UriComponentsBuilder;

import com.iotorq.lean.gateway.sso.provider.IdentityProviders;
import com.iotorq.lean.gateway.sso.provider.entra.EntraIdentityProvider;
import com.iotorq.lean.gateway.tenant.Tenant;
import com.iotorq.lean.gateway.tenant.TenantAttributes;
import com.iotorq.lean.gateway.test.CapturingChain;
import com.iotorq.lean.gateway.test.TestSsoProperties;
import com.iotorq.lean.gateway.test.TestSsoSettings;
import com.iotorq.lean.gateway.test.TestTenants;
import com.iotorq.lean.gateway.web.GatewayPaths;

import static org.assertj.core.api.Assertions.assertThat;

class SignInPagesFilterTests {

	private static final String DIRECTORY = "72f988bf-86f1-41af-91ab-2d7cd011db47";

	private final SignInPagesFilter filter = new SignInPagesFilter(new AdminConsentFlow(
			new IdentityProviders(List.of(new EntraIdentityProvider(TestSsoProperties.defaults()))),
			Clock.systemUTC()));

	private final Tenant acme = TestTenants.tenant()
		.slug("acme")
		.displayName("Acme Corp")
		.sso(TestSsoSettings.entra().directoryId(DIRECTORY))
		.build();

	private final MockWebSession session = new MockWebSession();

	private final CapturingChain chain = new CapturingChain();

	@Test
	void filterWhenSignOutAskedForThenConfirmationPageAndChainNotCalled() {
		MockServerWebExchange exchange = exchange(HttpMethod.GET, GatewayPaths.LOGOUT, this.acme);

		this.filter.filter(exchange, this.chain).block();

		assertThat(this.chain.called()).isFalse();
		assertThat(exchange.getResponse().getBodyAsString().block()).contains("You are about to sign out of Acme Corp.")
			.contains("action=\"" + GatewayPaths.LOGOUT + "\"");
	}

	@Test
	void filterWhenAdminConsentAskedForThenSentToTheProviderWithStateKeptInTheSession() {
		MockServerWebExchange exchange = exchange(HttpMethod.GET, GatewayPaths.ADMIN_CONSENT, this.acme);

		this.filter.filter(exchange, this.chain).block();

		assertThat(this.chain.called()).isFalse();
		assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.FOUND);
		URI location = exchange.getResponse().getHeaders().getLocation();
		assertThat(location).hasScheme("https")
			.hasHost("login.microsoftonline.com")
			.hasPath("/" + DIRECTORY + "/v2.0/adminconsent");
		assertThat(UriComponentsBuilder.fromUri(location).build().getQueryParams().getFirst("redirect_uri"))
			.isEqualTo("https://acme.iotorq-lean.com" + GatewayPaths.CALLBACK);
		assertThat(this.session.getAttributes()).containsKey(AdminConsentFlow.ATTRIBUTE);
	}

	@Test
	void filterWhenCallbackBringsThePendingConsentsAnswerThenAnsweredHere() {
		this.filter.filter(exchange(HttpMethod.GET, GatewayPaths.ADMIN_CONSENT, this.acme), new CapturingChain())
			.block();
		String state = ((AdminConsentFlow.Pending) this.session.getAttribute(AdminConsentFlow.ATTRIBUTE)).state();
		MockServerWebExchange callback = exchange(HttpMethod.GET,
				GatewayPaths.CALLBACK + "?admin_consent=True&tenant=" + DIRECTORY + "&state=" + state, this.acme);

		this.filter.filter(callback, this.chain).block();

		assertThat(this.chain.called()).isFalse();
		assertThat(callback.getResponse().getBodyAsString().block()).contains("Admin consent granted")
			.contains("Everyone in Acme Corp can now sign in");
		assertThat(this.session.getAttributes()).doesNotContainKey(AdminConsentFlow.ATTRIBUTE);
	}

	@Test
	void filterWhenCallbackOfASignInThenPassedOnToSpringSecurity() {
		MockServerWebExchange callback = exchange(HttpMethod.GET, GatewayPaths.CALLBACK + "?code=abc&state=xyz",
				this.acme);

		this.filter.filter(callback, this.chain).block();

		assertThat(this.chain.exchange()).isSameAs(callback);
		assertThat(callback.getResponse().getStatusCode()).isNull();
	}

	@Test
	void filterWhenNotGetOtherPathOrNoOrganisationThenPassedOn() {
		MockServerWebExchange post = exchange(HttpMethod.POST, GatewayPaths.LOGOUT, this.acme);
		this.filter.filter(post, this.chain).block();
		assertThat(this.chain.exchange()).isSameAs(post);

		MockServerWebExchange login = exchange(HttpMethod.GET, GatewayPaths.LOGIN, this.acme);
		this.filter.filter(login, this.chain).block();
		assertThat(this.chain.exchange()).isSameAs(login);

		MockServerWebExchange noTenant = exchange(HttpMethod.GET, GatewayPaths.LOGOUT, null);
		this.filter.filter(noTenant, this.chain).block();
		assertThat(this.chain.exchange()).isSameAs(noTenant);

		assertThat(this.chain.calls()).isEqualTo(3);
		assertThat(post.getResponse().getStatusCode()).isNull();
		assertThat(noTenant.getResponse().getStatusCode()).isNull();
	}

	private MockServerWebExchange exchange(HttpMethod method, String pathAndQuery, Tenant tenant) {
		MockServerWebExchange exchange = MockServerWebExchange
			.builder(MockServerHttpRequest.method(method, URI.create("https://acme.iotorq-lean.com" + pathAndQuery)))
			.session(this.session)
			.build();
		if (tenant != null) {
			exchange.getAttributes().put(TenantAttributes.TENANT, tenant);
		}
		return exchange;
	}

}
