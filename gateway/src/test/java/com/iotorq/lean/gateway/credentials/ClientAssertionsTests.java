package com.iotorq.lean.gateway.credentials;

import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.util.X509CertUtils;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.Test;

import org.springframework.security.oauth2.client.endpoint.OAuth2ClientCredentialsGrantRequest;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.OAuth2AuthorizationException;
import org.springframework.util.MultiValueMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class ClientAssertionsTests {

	private static final Instant NOW = Instant.parse("2026-12-03T10:15:30Z");

	private final ClientAssertions assertions = new ClientAssertions(Clock.fixed(NOW, ZoneOffset.UTC));

	@Test
	void clientCredentialsWhenKeyGivenThenSignedAssertionWithBothThumbprintsAndShortLifetime() throws Exception {
		var generated = new CertificateGenerator(Clock.systemUTC()).generate("acme", "Acme", Duration.ofDays(30))
			.block();
		RSAKey key = key(generated);
		MultiValueMap<String, String> parameters = this.assertions
			.clientCredentials(registration("verify:acme", ClientAuthenticationMethod.PRIVATE_KEY_JWT), key);

		assertThat(parameters.getFirst("client_assertion_type"))
			.isEqualTo("urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
		assertThat(parameters).doesNotContainKey("client_secret");
		SignedJWT jwt = SignedJWT.parse(parameters.getFirst("client_assertion"));
		assertThat(jwt.verify(new RSASSAVerifier(key.toRSAPublicKey()))).isTrue();
		assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.PS256);
		assertThat(jwt.getHeader().getType().getType()).isEqualTo("JWT");
		assertThat(jwt.getHeader().getKeyID()).isNull();
		assertThat(jwt.getHeader().getX509CertSHA256Thumbprint())
			.isEqualTo(Base64URL.encode(MessageDigest.getInstance("SHA-256").digest(generated.der())));
		assertThat(jwt.getHeader().toJSONObject()).containsEntry("x5t",
				Base64URL.encode(MessageDigest.getInstance("SHA-1").digest(generated.der())).toString());
		var claims = jwt.getJWTClaimsSet();
		assertThat(claims.getAudience()).containsExactly("https://login.example/tid/oauth2/v2.0/token");
		assertThat(claims.getIssuer()).isEqualTo("client-id");
		assertThat(claims.getSubject()).isEqualTo("client-id");
		assertThat(claims.getIssueTime().toInstant()).isEqualTo(NOW);
		assertThat(claims.getNotBeforeTime().toInstant()).isEqualTo(NOW);
		assertThat(claims.getExpirationTime().toInstant()).isEqualTo(NOW.plus(Duration.ofMinutes(5)));
		assertThat(claims.getJWTID()).isNotEqualTo(
				SignedJWT
					.parse(this.assertions
						.clientCredentials(registration("verify:acme", ClientAuthenticationMethod.PRIVATE_KEY_JWT), key)
						.getFirst("client_assertion"))
					.getJWTClaimsSet()
					.getJWTID());
	}

	@Test
	void parametersWhenNoKeyRegisteredThenRefusedRatherThanSignedWithAnother() {
		ClientRegistration withoutKey = registration("acme", ClientAuthenticationMethod.PRIVATE_KEY_JWT);
		assertThatExceptionOfType(OAuth2AuthorizationException.class)
			.isThrownBy(() -> this.assertions.parameters(new OAuth2ClientCredentialsGrantRequest(withoutKey)))
			.satisfies(ex -> assertThat(ex.getError().getErrorCode()).isEqualTo("invalid_key"));
	}

	@Test
	void parametersWhenSecretRegistrationThenNoAssertion() {
		ClientRegistration secret = ClientRegistration.withRegistrationId("acme")
			.clientId("client-id")
			.clientSecret("s3cr3t")
			.authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
			.clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_POST)
			.tokenUri("https://login.example/tid/oauth2/v2.0/token")
			.build();
		assertThat(this.assertions.parameters(new OAuth2ClientCredentialsGrantRequest(secret))).isEmpty();
	}

	private static ClientRegistration registration(String id, ClientAuthenticationMethod method) {
		return ClientRegistration.withRegistrationId(id)
			.clientId("client-id")
			.authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
			.clientAuthenticationMethod(method)
			.tokenUri("https://login.example/tid/oauth2/v2.0/token")
			.build();
	}

	@SuppressWarnings("deprecation")
	private static RSAKey key(CertificateGenerator.Generated generated) throws Exception {
		var certificate = X509CertUtils.parse(generated.der());
		var privateKey = java.security.KeyFactory.getInstance("RSA")
			.generatePrivate(new java.security.spec.PKCS8EncodedKeySpec(generated.privateKeyPkcs8()));
		return new RSAKey.Builder((java.security.interfaces.RSAPublicKey) certificate.getPublicKey())
			.privateKey((java.security.interfaces.RSAPrivateKey) privateKey)
			.keyUse(KeyUse.SIGNATURE)
			.algorithm(JWSAlgorithm.PS256)
			.x509CertSHA256Thumbprint(Base64URL.encode(MessageDigest.getInstance("SHA-256").digest(generated.der())))
			.x509CertThumbprint(Base64URL.encode(MessageDigest.getInstance("SHA-1").digest(generated.der())))
			.build();
	}

}
