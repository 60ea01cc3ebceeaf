package com.iotorq.lean.gateway.sso;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.security.oauth2.client.registration.ClientRegistration;

import com.iotorq.lean.gateway.sso.oidc.TenantClientRegistrations;
import com.iotorq.lean.gateway.test.SignInTestSupport;
import com.iotorq.lean.gateway.test.entra.TestEntra;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sign-in stays fast: what one sign-in built or fetched (the organisation's client
 * registration, the provider's discovery document and keys) serves the next ones.
 */
class SignInCachesIntegrationTests extends SignInTestSupport {

	@Autowired
	private TenantClientRegistrations registrations;

	@Test
	void signInsWhenSeveralThenDiscoveryAndKeysFetchedOnlyByTheFirstAndRegistrationBuiltOnce() {
		Org acme = organisation();
		String tid = acme.directory().tid();
		String discovery = "/" + tid + "/v2.0/.well-known/openid-configuration";
		assertThat(signIn(acme, person(acme, "Ada Lovelace"), "/").location()).isEqualTo("/");
		int discoveryFetches = entra.requestsTo(discovery).size();
		assertThat(discoveryFetches).isPositive();
		assertThat(entra.keyRequests(tid)).hasSize(1);
		ClientRegistration registration = this.registrations.findByRegistrationId(acme.slug()).block();

		for (String name : new String[] { "Grace Hopper", "Alan Turing" }) {
			TestEntra.User person = person(acme, name);
			this.browser.clearCookies();
			assertThat(signIn(acme, person, "/").location()).isEqualTo("/");
		}
		assertThat(entra.requestsTo("/" + tid + "/oauth2/v2.0/token")).hasSize(3);
		assertThat(entra.requestsTo(discovery)).hasSize(discoveryFetches);
		assertThat(entra.keyRequests(tid)).hasSize(1);
		assertThat(this.registrations.findByRegistrationId(acme.slug()).block()).isNotNull().isSameAs(registration);
	}

}
