package com.iotorq.lean.gateway.credentials;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.nimbusds.jose.jwk.RSAKey;

import org.springframework.security.oauth2.client.endpoint.AbstractOAuth2AuthorizationGrantRequest;
import org.springframework.security.oauth2.client.endpoint.NimbusJwtClientAuthenticationParametersConverter;
import org.springframework.security.oauth2.client.endpoint.OAuth2ClientCredentialsGrantRequest;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;

/**
 * Builds the client assertions of {@code private_key_jwt} token requests, for sign-ins
 * (the code redemption) and for verifications alike, with Spring Security's
 * {@link NimbusJwtClientAuthenticationParametersConverter}: {@code client_assertion_type}
 * {@code urn:ietf:params:oauth:client-assertion-type:jwt-bearer} and
 * {@code client_assertion}, a JWT with header {@code alg} PS256, {@code typ} JWT,
 * {@code x5t#S256} and {@code x5t} (the SHA-1 thumbprint, which older Entra deployments
 * read), and claims {@code aud} = the token endpoint, {@code iss} = {@code sub} = the
 * client id, a unique {@code jti}, {@code iat} = {@code nbf} = now and {@code exp}
 * {@value #LIFETIME_MINUTES} minutes later (Microsoft allows at most 10).
 * <p>
 * The key of a registration is the one {@link #register registered} for that very
 * registration object. An organisation's own registration is built from its ACTIVE
 * certificate; a registration without one gets no assertion, so no sign-in is ever signed
 * with a PENDING certificate. The one exception is the setup page's test sign-in, whose
 * draft registration ({@code setup:<slug>}) is registered with the draft's PENDING
 * certificate, because that sign-in is its test.
 *
 * @see <a href=
 * "https://learn.microsoft.com/entra/identity-platform/certificate-credentials">Microsoft
 * identity platform certificate credentials</a>
 */
public final class ClientAssertions {

	static final int LIFETIME_MINUTES = 5;

	private static final Duration LIFETIME = Duration.ofMinutes(LIFETIME_MINUTES);

	/** By registration object, compared by identity: it goes with the registration. */
	private final Cache<ClientRegistration, RSAKey> keys = Caffeine.newBuilder().weakKeys().build();

	private final NimbusJwtClientAuthenticationParametersConverter<AbstractOAuth2AuthorizationGrantRequest> converter;

	private final Clock clock;

	public ClientAssertions(Clock clock) {
		this.clock = clock;
		this.converter = new NimbusJwtClientAuthenticationParametersConverter<>(this.keys::getIfPresent);
		this.converter.setJwtClientAssertionCustomizer(context -> {
			RSAKey key = this.keys.getIfPresent(context.getAuthorizationGrantRequest().getClientRegistration());
			if (key == null) {
				return; // the converter has refused already
			}
			context.getHeaders().type("JWT").x509SHA256Thumbprint(key.getX509CertSHA256Thumbprint().toString());
			@SuppressWarnings("deprecation") // x5t: SHA-1, deprecated in JOSE, still read
												// by older Entra deployments
			String sha1 = key.getX509CertThumbprint().toString();
			context.getHeaders().x509SHA1Thumbprint(sha1);
			Instant now = this.clock.instant().truncatedTo(ChronoUnit.SECONDS);
			context.getClaims().issuedAt(now).notBefore(now).expiresAt(now.plus(LIFETIME));
		});
	}

	/**
	 * Makes {@code key} sign the assertions of token requests for this registration,
	 * which must use {@link ClientAuthenticationMethod#PRIVATE_KEY_JWT}.
	 */
	public void register(ClientRegistration registration, RSAKey key) {
		this.keys.put(registration, key);
	}

	/**
	 * The assertion parameters of a token request, for {@code addParametersConverter};
	 * none for registrations that authenticate otherwise.
	 * @throws org.springframework.security.oauth2.core.OAuth2AuthorizationException
	 * {@code invalid_key} when a {@code private_key_jwt} registration has no key
	 * registered
	 */
	public MultiValueMap<String, String> parameters(AbstractOAuth2AuthorizationGrantRequest request) {
		// Spring Security's converter answers null for those, though its type says it
		// never does
		MultiValueMap<String, String> parameters = this.converter.convert(request);
		return (parameters != null) ? parameters : new LinkedMultiValueMap<>();
	}

	/**
	 * The assertion parameters of a client-credentials request for this registration,
	 * signed with {@code key} (verifying a certificate, PENDING or ACTIVE, before it
	 * signs any sign-in).
	 */
	public MultiValueMap<String, String> clientCredentials(ClientRegistration registration, RSAKey key) {
		register(registration, key);
		return this.converter.convert(new OAuth2ClientCredentialsGrantRequest(registration));
	}

}
