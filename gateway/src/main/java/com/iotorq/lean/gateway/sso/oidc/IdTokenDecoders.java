package com.iotorq.lean.gateway.sso.oidc;

import java.net.URI;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.source.JWKSecurityContextJWKSet;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.BadJWSException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.SignedJWT;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.security.oauth2.client.oidc.authentication.OidcIdTokenValidator;
import org.springframework.security.oauth2.client.oidc.authentication.ReactiveOidcIdTokenDecoderFactory;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.core.converter.ClaimTypeConverter;
import org.springframework.security.oauth2.core.oidc.IdTokenClaimNames;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.JwtValidationException;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoderFactory;

import com.iotorq.lean.gateway.sso.provider.IdTokenChecks;
import com.iotorq.lean.gateway.sso.provider.IdentityProvider;
import com.iotorq.lean.gateway.sso.provider.IdentityProviders;
import com.iotorq.lean.gateway.tenant.SsoSettings;
import com.iotorq.lean.gateway.tenant.Tenant;
import com.iotorq.lean.gateway.tenant.TenantDirectory;

/**
 * Validates each organisation's ID tokens: only the asymmetric algorithms the provider
 * allows (Entra: RS256; others: those their discovery lists, never {@code none} or HS*),
 * signed by a key of the organisation's provider, {@code iss}, {@code aud}, {@code azp},
 * {@code exp}/{@code nbf}/{@code iat} with a small skew, and the provider's own checks
 * (Entra: {@code tid}). The nonce is checked by Spring Security's authentication manager.
 * Decoders are cached per organisation and settings, since building one per sign-in would
 * refetch the keys every time.
 * <p>
 * A rejected token says which check it failed in a claim-specific error code of its own,
 * {@code invalid_id_token.<check>} ({@link IdTokenChecks#rejected}), e.g.
 * {@code invalid_id_token.tid}: the claims' checks and the providers' emit one each, and
 * the failures Nimbus finds itself (signature, algorithm, no matching key) are told apart
 * by their exception types. Spring Security's own {@link OidcIdTokenValidator} and
 * {@link JwtTimestampValidator} still run after the coded checks, as the gate they are;
 * they only cannot say which claim failed but in their text.
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
					ex -> new OAuth2AuthenticationException(new OAuth2Error(IdpHttp.IDP_UNAVAILABLE,
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
		return decoder(registration, algorithms, jwt -> this.keys.keysFor(jwksUri, jwt), this.clockSkew,
				provider.idTokenValidators(sso));
	}

	/**
	 * A decoder of one registration's ID tokens, whose every rejection names the check it
	 * failed.
	 * @param algorithms the asymmetric algorithms the provider signs with
	 * @param keys the provider's keys that may have signed a token
	 * @param providerChecks the provider's own checks, e.g. Entra's {@code tid}
	 */
	public static ReactiveJwtDecoder decoder(ClientRegistration registration, Set<SignatureAlgorithm> algorithms,
			Function<SignedJWT, Flux<JWK>> keys, Duration clockSkew, List<OAuth2TokenValidator<Jwt>> providerChecks) {
		if (algorithms.isEmpty()) {
			// a provider that lists only none or HS*: no ID token of it can be trusted
			return token -> Mono.error(new JwtValidationException("No ID token algorithm", List.of(IdTokenChecks
				.rejected("alg", "The provider's discovery lists no asymmetric ID token signing algorithm"))));
		}
		// the builder takes a single algorithm; the key selector takes the set
		Set<JWSAlgorithm> accepted = algorithms.stream()
			.map(algorithm -> JWSAlgorithm.parse(algorithm.getName()))
			.collect(Collectors.toUnmodifiableSet());
		NimbusReactiveJwtDecoder decoder = NimbusReactiveJwtDecoder.withJwkSource(keys)
			.jwtProcessorCustomizer(processor -> processor
				.setJWSKeySelector(new JWSVerificationKeySelector<>(accepted, new JWKSecurityContextJWKSet())))
			.build();
		OidcIdTokenValidator oidc = new OidcIdTokenValidator(registration);
		oidc.setClockSkew(clockSkew);
		List<OAuth2TokenValidator<Jwt>> validators = new ArrayList<>(
				claimChecks(registration, clockSkew, Clock.systemUTC()));
		validators.add(new JwtTimestampValidator(clockSkew));
		validators.add(oidc);
		validators.addAll(providerChecks);
		decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(validators));
		decoder.setClaimSetConverter(
				new ClaimTypeConverter(ReactiveOidcIdTokenDecoderFactory.createDefaultClaimTypeConverters()));
		return token -> decoder.decode(token)
			.onErrorMap(ex -> ex instanceof BadJwtException && !(ex instanceof JwtValidationException),
					ex -> rejectedByNimbus(token, accepted, (BadJwtException) ex));
	}

	/**
	 * The checks of OpenID Connect Core 1.0, section 3.1.3.7, that
	 * {@link OidcIdTokenValidator} makes, and {@code nbf}, one by one, each with its own
	 * code.
	 */
	static List<OAuth2TokenValidator<Jwt>> claimChecks(ClientRegistration registration, Duration clockSkew,
			Clock clock) {
		String issuer = registration.getProviderDetails().getIssuerUri();
		String clientId = registration.getClientId();
		return List.of(
				check(IdTokenClaimNames.ISS,
						jwt -> jwt.getIssuer() != null
								&& (issuer == null || issuer.equals(jwt.getIssuer().toExternalForm())),
						"The ID token's iss claim is not the provider's issuer"),
				check(IdTokenClaimNames.SUB, jwt -> jwt.getSubject() != null, "The ID token has no sub claim"),
				check(IdTokenClaimNames.AUD, jwt -> jwt.getAudience() != null && jwt.getAudience().contains(clientId),
						"The ID token's aud claim does not name the client"),
				check(IdTokenClaimNames.AZP, jwt -> {
					String azp = jwt.getClaimAsString(IdTokenClaimNames.AZP);
					List<String> audience = (jwt.getAudience() != null) ? jwt.getAudience() : List.of();
					return (azp != null) ? azp.equals(clientId) : audience.size() <= 1;
				}, "The ID token's azp claim is missing or names another client"),
				check(JwtClaimNames.EXP,
						jwt -> jwt.getExpiresAt() != null
								&& !Instant.now(clock).minus(clockSkew).isAfter(jwt.getExpiresAt()),
						"The ID token has expired"),
				check(JwtClaimNames.NBF,
						jwt -> jwt.getNotBefore() == null
								|| !Instant.now(clock).plus(clockSkew).isBefore(jwt.getNotBefore()),
						"The ID token is not valid yet"),
				check(JwtClaimNames.IAT,
						jwt -> jwt.getIssuedAt() != null
								&& !Instant.now(clock).plus(clockSkew).isBefore(jwt.getIssuedAt()),
						"The ID token's iat claim is missing or in the future"));
	}

	private static OAuth2TokenValidator<Jwt> check(String check, Predicate<Jwt> valid, String description) {
		return jwt -> valid.test(jwt) ? OAuth2TokenValidatorResult.success()
				: OAuth2TokenValidatorResult.failure(IdTokenChecks.rejected(check, description));
	}

	/**
	 * Which check a failure Nimbus found itself is: a token it cannot parse, one signed
	 * with an algorithm not accepted (or none), one no key of the provider matches, or a
	 * wrong signature. Nimbus throws {@link BadJWSException} for a signature only; the
	 * same {@link BadJOSEException} for a foreign algorithm and an unknown key, told
	 * apart here by the token's header.
	 */
	private static JwtException rejectedByNimbus(String token, Set<JWSAlgorithm> accepted, BadJwtException ex) {
		JWT parsed;
		try {
			parsed = JWTParser.parse(token);
		}
		catch (ParseException notJwt) {
			return coded(ex, IdTokenChecks.rejected("format", "The ID token is not a JWT"));
		}
		if (!(parsed instanceof SignedJWT signed) || !accepted.contains(signed.getHeader().getAlgorithm())) {
			return coded(ex, IdTokenChecks.rejected("alg",
					"The ID token is signed with " + parsed.getHeader().getAlgorithm() + ", not one of " + accepted));
		}
		if (ex.getCause() instanceof BadJWSException) {
			return coded(ex, IdTokenChecks.rejected("signature", "The ID token's signature is not valid"));
		}
		if (ex.getCause() instanceof BadJOSEException) {
			return coded(ex, IdTokenChecks.rejected("kid",
					"No key of the provider matches the ID token's key id " + signed.getHeader().getKeyID()));
		}
		return ex;
	}

	private static JwtValidationException coded(BadJwtException ex, OAuth2Error error) {
		JwtValidationException coded = new JwtValidationException(error.getDescription(), List.of(error));
		coded.initCause(ex);
		return coded;
	}

	private record DecoderKey(String registrationId, String clientId, String jwksUri, long settingsVersion) {
	}

}
