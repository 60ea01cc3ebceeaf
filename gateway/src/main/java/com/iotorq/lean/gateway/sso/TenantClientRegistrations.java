package com.iotorq.lean.gateway.sso;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import reactor.core.publisher.Mono;

import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ClientRegistrations;
import org.springframework.security.oauth2.client.registration.ReactiveClientRegistrationRepository;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;

import com.iotorq.lean.gateway.secrets.SecretCipher;
import com.iotorq.lean.gateway.tenant.SsoSettings;
import com.iotorq.lean.gateway.tenant.Tenant;
import com.iotorq.lean.gateway.tenant.TenantDirectory;
import com.iotorq.lean.gateway.web.ErrorCode;
import com.iotorq.lean.gateway.web.GatewayException;
import com.iotorq.lean.gateway.web.GatewayPaths;

/**
 * Each organisation's own app registration as a Spring Security client registration, whose id
 * is the organisation's slug. Built from the tenant cache and the provider's cached discovery
 * document, so it follows SSO setting changes at once. While the provider's circuit breaker is
 * open ({@link IdpHttp}), there is no registration: sign-in shows "Sign-in service unavailable"
 * at once.
 * <p>
 * A sign-in asks for its registration several times (authorization request, token call, ID
 * token checks, sign-out); each is built once per tenant settings and discovery document, not
 * per request: parsing the document and opening the client secret were a tenth of a sign-in's CPU.
 */
public final class TenantClientRegistrations implements ReactiveClientRegistrationRepository {

	/** The redirect URI exactly as the help article tells administrators to register it. */
	static final String REDIRECT_URI = "{baseUrl}" + GatewayPaths.CALLBACK;

	private static final Duration RETRY_AFTER = Duration.ofSeconds(30);

	private final TenantDirectory directory;

	private final IdentityProviders providers;

	private final OidcMetadata metadata;

	private final SecretCipher cipher;

	private final IdpHttp http;

	/**
	 * By tenant object, compared by identity: a change of the settings loads a new one, whose
	 * registration is built anew; the old entry goes with the old object.
	 */
	private final Cache<Tenant, Built> built = Caffeine.newBuilder().weakKeys().build();

	public TenantClientRegistrations(TenantDirectory directory, IdentityProviders providers, OidcMetadata metadata,
			SecretCipher cipher, IdpHttp http) {
		this.directory = directory;
		this.providers = providers;
		this.metadata = metadata;
		this.cipher = cipher;
		this.http = http;
	}

	@Override
	public Mono<ClientRegistration> findByRegistrationId(String slug) {
		return this.directory.find(slug).filter(Tenant::hasSso).flatMap(this::registration);
	}

	/** The organisation's registration; empty when it has no SSO settings. */
	public Mono<ClientRegistration> forTenant(Tenant tenant) {
		return tenant.hasSso() ? registration(tenant) : Mono.empty();
	}

	private Mono<ClientRegistration> registration(Tenant tenant) {
		SsoSettings sso = tenant.sso();
		IdentityProvider provider = this.providers.get(sso.provider());
		URI issuer = provider.issuer(sso);
		if (!this.http.available(issuer.toString())) {
			// its circuit breaker is open: no point sending the person to a provider that is down
			return Mono.error(new GatewayException(ErrorCode.IDP_UNAVAILABLE, null, null, RETRY_AFTER));
		}
		return this.metadata.forIssuer(issuer)
			.map(document -> {
				Built cached = this.built.getIfPresent(tenant);
				if (cached != null && cached.document() == document) {
					return cached.registration();
				}
				ClientRegistration registration = build(tenant, provider, document);
				this.built.put(tenant, new Built(document, registration));
				return registration;
			})
			.onErrorMap(ex -> !(ex instanceof GatewayException), ex -> new GatewayException(ErrorCode.IDP_UNAVAILABLE,
					null, ex, RETRY_AFTER));
	}

	private ClientRegistration build(Tenant tenant, IdentityProvider provider, Map<String, Object> document) {
		SsoSettings sso = tenant.sso();
		return ClientRegistrations.fromOidcConfiguration(document)
			.registrationId(tenant.slug())
			.clientName(tenant.displayName())
			.clientId(sso.clientId())
			.clientSecret(this.cipher.open(sso.clientSecret(), tenant.id().toString()))
			// Entra accepts both; the form post avoids differences in decoding Basic credentials
			.clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_POST)
			.redirectUri(REDIRECT_URI)
			.scope(provider.scopes())
			.userNameAttributeName("sub")
			.build();
	}

	/** A registration and the discovery document it was built from. */
	private record Built(Map<String, Object> document, ClientRegistration registration) {
	}

}
