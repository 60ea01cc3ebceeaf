package com.iotorq.lean.gateway.sso;

import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.test.context.TestPropertySource;

import com.iotorq.lean.gateway.test.SignInTestSupport;
import com.iotorq.lean.gateway.test.TestBrowser;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Behind a TLS-terminating ingress the gateway learns its public scheme and host from
 * {@code X-Forwarded-*}, but only from the trusted proxy's address (here: loopback).
 */
@TestPropertySource(properties = "lean.gateway.trusted-proxies=127\\.0\\.0\\.1")
class ForwardedHeadersIntegrationTests extends SignInTestSupport {

	@Test
	void loginWhenBehindTrustedIngressThenHttpsRedirectUriAndSecureCookie() {
		Org acme = organisation();
		TestBrowser.Response login = this.browser.get(acme.url("/oauth/login"),
				Map.of("X-Forwarded-Proto", "https", "X-Forwarded-Host", acme.host(), "X-Forwarded-Port", "443"));
		assertThat(login.locationParams()).containsEntry("redirect_uri", "https://" + acme.host() + "/oauth/complete/");
		assertThat(login.headers().get("set-cookie")).anySatisfy(cookie -> assertThat(cookie).startsWith("LEAN_SESSION=")
			.containsIgnoringCase("Secure"));
		this.browser.get(acme.url("/page"), Map.of("X-Forwarded-Proto", "https", "X-Forwarded-Host", acme.host()));
	}

	@Test
	void forwardedHostWhenNamingAnotherOrganisationThenThatOneIsResolved() {
		Org acme = organisation();
		Org globex = organisation();
		this.admin.delete().uri("/admin/tenants/{slug}/sso", globex.slug()).exchange().expectStatus().isNoContent();
		this.browser.get(acme.url("/x"), Map.of("X-Forwarded-Host", globex.host()));
		// the ingress is trusted to say which host the browser asked for
		assertThat(backend.last().header("X-Lean-Tenant")).containsExactly(globex.slug());
	}

}
