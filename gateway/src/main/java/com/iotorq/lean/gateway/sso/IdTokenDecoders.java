package com.iotorq.lean.gateway.sso;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSecurityContextJWKSet;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import reactor.core.publisher.Mono;

import org.springframework.security.oauth2.client.oidc.authentication.OidcIdTokenValidator;
import org.springframework.security.oauth2.client.oidc.authentication.ReactiveOidcIdTokenDecoderFactory;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.converter.ClaimTypeConverter;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoderFactory;

import com.iotorq.lean.gateway.tenant.SsoSettings;
import com.iotorq.lean.gateway.tenant.Tenant;
import com.iotorq.lean.gateway.tenant.TenantDirectory;

/**
 * Validates each organisation's ID tokens: only the asymmetric algorithms the provider allows
 * (Entra: RS256; others: those their discovery lists, never {@code none} or HS*), signed by a
 * key of the organisation's provider, {@code iss}, {@code aud}, {@code azp}, {@code exp}/{@code nbf}/{@code iat} with a
 * small skew, and the provider's own checks (Entra: {@code tid}). The nonce is checked by
 * Spring Security's authentication manager. Decoders are cached per organisation and
 * settings, since building one per sign-in would refetch the keys every time.
 */
public final class IdTokenDecoders implements ReactiveJwtDecoderFactory<ClientRegistration> {

	private final TenantDirectory directory;

	private final IdentityProviders providers;

	private final JwkSets keys;

	private final Duration clockSkew;

	private final Cache<DecoderKey, ReactiveJwtDecoder> decoders = Caffeine.newBuilder()
		.maximumSize(10_000)
		.expireAfterAccess(Duration.ofHours(1))
		.build();

	public IdTokenDecoders(TenantDirectory directory, IdentityProviders providers, JwkSets keys, Duration clockSkew) {
		this.directory = directory;
		this.providers = providers;
		this.keys = keys;
		this.clockSkew = clockSkew;
	}

	@Override
	public ReactiveJwtDecoder createDecoder(ClientRegistration registration) {
		return token -> this.directory.find(registration.getRegistrationId())
			.filter(Tenant::hasSso)
			.switchIfEmpty(Mono.error(() -> new OAuth2AuthenticationException(
					new OAuth2Error("sso_not_enabled", "The organisation no longer uses single sign-on", null))))
			.flatMap(tenant -> decoderFor(registration, tenant.requiredSso()).decode(token))
			.onErrorMap(ex -> !(ex instanceof JwtException) && !(ex instanceof OAuth2AuthenticationException),
					ex -> new OAuth2AuthenticationException(new OAuth2Error(SignInErrors.IDP_UNAVAILABLE,
							"The identity provider's keys could not be fetched", null), ex));
	}

	private ReactiveJwtDecoder decoderFor(ClientRegistration registration, SsoSettings sso) {
		DecoderKey key = new DecoderKey(registration.getRegistrationId(), registration.getClientId(),
				registration.getProviderDetails().getJwkSetUri(), sso.updatedAt().toEpochMilli());
		return this.decoders.get(key, k -> build(registration, sso));
	}

	private ReactiveJwtDecoder build(ClientRegistration registration, SsoSettings sso) {
		URI jwksUri = URI.create(registration.getProviderDetails().getJwkSetUri());
		IdentityProvider provider = this.providers.get(sso.provider());
		Set<SignatureAlgorithm> algorithms = provider
			.idTokenAlgorithms(registration.getProviderDetails().getConfigurationMetadata());
		if (algorithms.isEmpty()) {
			// a provider that lists only none or HS*: no ID token of it can be trusted
			return token -> Mono.error(new OAuth2AuthenticationException(new OAuth2Error("invalid_id_token",
					"The provider's discovery lists no asymmetric ID token signing algorithm", null)));
		}
		// the builder takes a single algorithm; the key selector takes the set
		Set<JWSAlgorithm> accepted = algorithms.stream()
			.map(algorithm -> JWSAlgorithm.parse(algorithm.getName()))
			.collect(Collectors.toUnmodifiableSet());
		NimbusReactiveJwtDecoder decoder = NimbusReactiveJwtDecoder.withJwkSource(jwt -> this.keys.keysFor(jwksUri, jwt))
			.jwtProcessorCustomizer(processor -> processor
				.setJWSKeySelector(new JWSVerificationKeySelector<>(accepted, new JWKSecurityContextJWKSet())))
			.build();
		OidcIdTokenValidator oidc = new OidcIdTokenValidator(registration);
		oidc.setClockSkew(this.clockSkew);
		List<OAuth2TokenValidator<Jwt>> validators = new ArrayList<>();
		validators.add(new JwtTimestampValidator(this.clockSkew));
		validators.add(oidc);
		validators.addAll(provider.idTokenValidators(sso));
		decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(validators));
		decoder.setClaimSetConverter(new ClaimTypeConverter(ReactiveOidcIdTokenDecoderFactory.createDefaultClaimTypeConverters()));
		return decoder;
	}

	private record DecoderKey(String registrationId, String clientId, String jwksUri, long settingsVersion) {
	}

}
