package com.iotorq.lean.gateway.sso.oidc;

import java.time.Clock;

import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.oauth2.client.web.server.ServerOAuth2AuthorizedClientRepository;

import com.iotorq.lean.gateway.credentials.ClientAssertions;
import com.iotorq.lean.gateway.credentials.SigningCertificates;
import com.iotorq.lean.gateway.secrets.SecretCipher;
import com.iotorq.lean.gateway.sso.SsoProperties;
import com.iotorq.lean.gateway.sso.provider.IdentityProviders;
import com.iotorq.lean.gateway.tenant.TenantDirectory;

/**
 * The OpenID Connect side of signing in: the client for identity providers' endpoints,
 * their discovery documents and keys, each organisation's client registration, the ID
 * token check.
 */
@Configuration(proxyBeanMethods = false)
class OidcConfiguration {

	@Bean
	IdpHttp idpHttp(SsoProperties properties, CircuitBreakerRegistry breakers) {
		return new IdpHttp(properties, breakers);
	}

	@Bean
	OidcMetadata oidcMetadata(IdpHttp http, SsoProperties properties) {
		return new OidcMetadata(http, properties);
	}

	@Bean
	TenantClientRegistrations tenantClientRegistrations(TenantDirectory directory, IdentityProviders providers,
			OidcMetadata metadata, SecretCipher cipher, IdpHttp http, SigningCertificates certificates,
			ClientAssertions assertions) {
		return new TenantClientRegistrations(directory, providers, metadata, cipher, http, certificates, assertions);
	}

	@Bean
	IdTokenDecoders idTokenDecoders(TenantDirectory directory, IdentityProviders providers, IdpHttp http,
			SsoProperties properties, JwksProperties jwks, Clock clock) {
		return new IdTokenDecoders(directory, providers,
				new JwkSets(http, jwks, properties.jwksRefreshInterval(), clock), properties.clockSkew());
	}

	/**
	 * The gateway keeps no IdP tokens beyond the ID token in the session; nothing relays
	 * them.
	 */
	@Bean
	ServerOAuth2AuthorizedClientRepository authorizedClientRepository() {
		return new DiscardingAuthorizedClientRepository();
	}

}
