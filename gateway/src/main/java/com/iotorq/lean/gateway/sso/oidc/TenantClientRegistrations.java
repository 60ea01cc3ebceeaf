package com.iotorq.lean.gateway.sso.oidc;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import reactor.core.publisher.Mono;

import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ClientRegistrations;
import org.springframework.security.oauth2.client.registration.ReactiveClientRegistrationRepository;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;

import com.iotorq.lean.gateway.credentials.ClientAssertions;
import com.iotorq.lean.gateway.credentials.NoSigningCertificateException;
import com.iotorq.lean.gateway.credentials.SigningCertificates;
import com.iotorq.lean.gateway.secrets.SecretCipher;
import com.iotorq.lean.gateway.sso.provider.IdentityProvider;
import com.iotorq.lean.gateway.sso.provider.IdentityProviders;
import com.iotorq.lean.gateway.tenant.SsoSettings;
import com.iotorq.lean.gateway.tenant.Tenant;
import com.iotorq.lean.gateway.tenant.TenantDirectory;
import com.iotorq.lean.gateway.web.ErrorCode;
import com.iotorq.lean.gateway.web.GatewayException;
import com.iotorq.lean.gateway.web.GatewayPaths;

/**
 * Each organisation's own app registration as a Spring Security client registration,
 * whose id is the organisation's slug. Built from the tenant cache and the provider's
 * cached discovery document, so it follows SSO setting changes at once. While the
 * provider's circuit breaker is open ({@link IdpHttp}), there is no registration: sign-in
 * shows "Sign-in service unavailable" at once.
 * <p>
 * A sign-in asks for its registration several times (authorization request, token call,
 * ID token checks, sign-out); each is built once per tenant settings and discovery
 * document, not per request: parsing the document and opening the client secret were a
 * tenth of a sign-in's CPU.
 * <p>
 * With {@code credentialType} {@code certificate} the registration authenticates with
 * {@code private_key_jwt}, its key that of the organisation's ACTIVE certificate
 * (registered with {@link ClientAssertions}); without an ACTIVE certificate sign-in
 * cannot start and the page says who must act. A new ACTIVE certificate notifies every
 * replica, which loads the tenant, and so its registration, anew.
 */
public final class TenantClientRegistrations implements ReactiveClientRegistrationRepository {

	/**
	 * The redirect URI exactly as the help article tells administrators to register it.
	 */
	static final String REDIRECT_URI = "{baseUrl}" + GatewayPaths.CALLBACK;

	private static final Duration RETRY_AFTER = Duration.ofSeconds(30);

	private static final Logger logger = LoggerFactory.getLogger(TenantClientRegistrations.class);

	private final TenantDirectory directory;

	private final IdentityProviders providers;

	private final OidcMetadata metadata;

	private final SecretCipher cipher;

	private final IdpHttp http;

	private final SigningCertificates certificates;

	private final ClientAssertions assertions;

	/**
	 * By tenant object, compared by identity: a change of the settings loads a new one,
	 * whose registration is built anew; the old entry goes with the old object.
	 */
	private final Cache<Tenant, Built> built = Caffeine.newBuilder().weakKeys().build();

	public TenantClientRegistrations(TenantDirectory directory, IdentityProviders providers, OidcMetadata metadata,
			SecretCipher cipher, IdpHttp http, SigningCertificates certificates, ClientAssertions assertions) {
		this.directory = directory;
		this.providers = providers;
		this.metadata = metadata;
		this.cipher = cipher;
		this.http = http;
		this.certificates = certificates;
		this.assertions = assertions;
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
		SsoSettings sso = tenant.requiredSso();
		IdentityProvider provider = this.providers.get(sso.provider());
		URI issuer = provider.issuer(sso);
		if (!this.http.available(issuer.toString())) {
			// its circuit breaker is open: no point sending the person to a provider that
			// is down
			return Mono.error(new GatewayException(ErrorCode.IDP_UNAVAILABLE, null, null, RETRY_AFTER));
		}
		return this.metadata.forIssuer(issuer).flatMap(document -> {
			Built cached = this.built.getIfPresent(tenant);
			if (cached != null && cached.document() == document) {
				return Mono.just(cached.registration());
			}
			return build(tenant, provider, document)
				.doOnNext(registration -> this.built.put(tenant, new Built(document, registration)));
		})
			.onErrorMap(ex -> !(ex instanceof GatewayException),
					ex -> new GatewayException(ErrorCode.IDP_UNAVAILABLE, null, ex, RETRY_AFTER));
	}

	private Mono<ClientRegistration> build(Tenant tenant, IdentityProvider provider, Map<String, Object> document) {
		SsoSettings sso = tenant.requiredSso();
		if (sso.credentialType() == SsoSettings.CredentialType.CERTIFICATE) {
			// only the ACTIVE certificate signs: a PENDING one may not be uploaded yet
			return this.certificates.active(tenant).switchIfEmpty(Mono.defer(() -> {
				logger.warn(
						"Sign-in to {} refused: it signs in with a certificate but none is ACTIVE; once the "
								+ "customer has uploaded the certificate, POST /admin/tenants/{}/sso/verify",
						tenant.slug(), tenant.slug());
				return Mono.error(new NoSigningCertificateException());
			})).map(certificate -> {
				ClientRegistration registration = builder(tenant, provider, document)
					.clientAuthenticationMethod(ClientAuthenticationMethod.PRIVATE_KEY_JWT)
					.build();
				this.assertions.register(registration, this.certificates.signingKey(tenant, certificate));
				return registration;
			});
		}
		return Mono.fromSupplier(() -> builder(tenant, provider, document)
			.clientSecret(this.cipher.open(sso.requiredClientSecret(), tenant.id().toString()))
			// Entra accepts both; the form post avoids differences in decoding Basic
			// credentials
			.clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_POST)
			.build());
	}

	private static ClientRegistration.Builder builder(Tenant tenant, IdentityProvider provider,
			Map<String, Object> document) {
		return ClientRegistrations.fromOidcConfiguration(document)
			.registrationId(tenant.slug())
			.clientName(tenant.displayName())
			.clientId(tenant.requiredSso().clientId())
			.redirectUri(REDIRECT_URI)
			.scope(provider.scopes(tenant.requiredSso()))
			.userNameAttributeName("sub");
	}

	/** A registration and the discovery document it was built from. */
	private record Built(Map<String, Object> document, ClientRegistration registration) {
	}

}
