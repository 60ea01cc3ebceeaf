package com.iotorq.lean.gateway.sso.provider;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;

import com.iotorq.lean.gateway.sso.provider.entra.EntraIdentityProvider;
import com.iotorq.lean.gateway.test.TestSsoProperties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The generic OpenID Connect provider's own rules: which issuers it takes, which ID token
 * algorithms it trusts, and how it explains a provider's error.
 */
class OidcIdentityProviderTests {

	private final OidcIdentityProvider strict = new OidcIdentityProvider(new OidcProperties(false));

	private final OidcIdentityProvider local = new OidcIdentityProvider(new OidcProperties(true));

	@Test
	void checkIssuerWhenPlainHttpThenRefusedUnlessAllowed() {
		assertThat(this.strict.checkDirectoryId("https://example.okta.com/oauth2/default")).isEmpty();
		assertThat(this.strict.checkDirectoryId("http://localhost:8180/realms/acme")).get()
			.asString()
			.contains("https")
			.contains("lean.sso.oidc.allow-http-issuers");
		assertThat(this.local.checkDirectoryId("http://localhost:8180/realms/acme")).isEmpty();
	}

	@Test
	void checkIssuerWhenNotAnIssuerUrlThenRefused() {
		assertThat(this.strict.checkDirectoryId("example.okta.com")).isPresent();
		assertThat(this.strict.checkDirectoryId("ftp://example.com")).isPresent();
		assertThat(this.strict.checkDirectoryId("https://example.com/?tenant=1")).isPresent();
		assertThat(this.strict.checkDirectoryId("https://example.com/#x")).isPresent();
		assertThat(this.local.checkDirectoryId("javascript:alert(1)")).isPresent();
	}

	@Test
	void idTokenAlgorithmsWhenDiscoveryListsNoneAndHmacThenOnlyAsymmetricOnes() {
		assertThat(this.strict.idTokenAlgorithms(Map.of("id_token_signing_alg_values_supported",
				List.of("none", "HS256", "RS256", "ES256", "PS384", "XYZ"))))
			.containsExactlyInAnyOrder(SignatureAlgorithm.RS256, SignatureAlgorithm.ES256, SignatureAlgorithm.PS384);
		assertThat(this.strict.idTokenAlgorithms(Map.of("id_token_signing_alg_values_supported", List.of("HS256"))))
			.isEmpty();
		assertThat(this.strict.idTokenAlgorithms(Map.of())).containsExactly(SignatureAlgorithm.RS256);
	}

	@Test
	void explainWhenProviderErrorThenWhoMustActWithItsCodeAndNeverItsText() {
		ProviderError client = this.strict.explain("invalid_client", "<script>alert(1)</script>").orElseThrow();
		assertThat(client.actor()).isEqualTo(ProviderError.Actor.LEAN_SUPPORT);
		assertThat(client.code()).isEqualTo("invalid_client");
		assertThat(client.toString()).doesNotContain("<script>");
		ProviderError denied = this.strict.explain("access_denied", null).orElseThrow();
		assertThat(denied.actor()).isEqualTo(ProviderError.Actor.IDP_ADMIN);
		ProviderError odd = this.strict.explain("<b>bold</b>", "x").orElseThrow();
		assertThat(odd.code()).isEqualTo("invalid_error");
		assertThat(odd.actor()).isEqualTo(ProviderError.Actor.IDP_ADMIN);
	}

	@Test
	void entraKeepsItsOwnFieldsAndAlgorithm() {
		EntraIdentityProvider entra = new EntraIdentityProvider(
				TestSsoProperties.builder().authority("https://login.microsoftonline.com").build());
		assertThat(entra).isInstanceOf(OidcIdentityProvider.class);
		assertThat(entra.directoryIdField()).isEqualTo("entraTenantId");
		assertThat(entra.optionFields()).isEmpty();
		assertThat(entra.idTokenAlgorithms(Map.of("id_token_signing_alg_values_supported", List.of("ES256"))))
			.containsExactly(SignatureAlgorithm.RS256);
		assertThat(this.strict.directoryIdField()).isEqualTo("issuer");
		assertThat(this.strict.optionFields()).containsExactlyInAnyOrder("scopes", "claims", "requireVerifiedEmail",
				"allowedEmailDomains");
	}

}
