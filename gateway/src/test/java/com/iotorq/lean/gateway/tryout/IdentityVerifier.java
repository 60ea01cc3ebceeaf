package com.iotorq.lean.gateway.tryout;

import java.net.MalformedURLException;
import java.net.URI;
import java.text.ParseException;
import java.util.Set;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;

/**
 * How a Java backend verifies {@code X-Lean-Identity} with Nimbus JOSE+JWT: ES256 only,
 * keys from the gateway's JWKS (cached, fetched again for an unknown key id), {@code iss}
 * and {@code aud} exact, {@code exp} checked. The README's Java snippet is this class;
 * the demo backend uses it, so the browser tests run it.
 */
final class IdentityVerifier {

	private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();

	/**
	 * @param jwksUri {@code http://<gateway>:8081/.well-known/lean-gateway/jwks.json}
	 * @param issuer the gateway's {@code lean.identity.issuer}
	 * @param audience the gateway's {@code lean.identity.audience}
	 */
	IdentityVerifier(URI jwksUri, String issuer, String audience) throws MalformedURLException {
		JWKSource<SecurityContext> keys = JWKSourceBuilder.create(jwksUri.toURL()).build();
		this.processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.ES256, keys));
		this.processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(audience,
				new JWTClaimsSet.Builder().issuer(issuer).build(), Set.of("sub", "tenant", "iat", "exp")));
	}

	/**
	 * The verified claims; blocks while the JWKS is fetched, so call it off any event
	 * loop.
	 * @throws BadJOSEException if the signature, algorithm, issuer, audience or expiry is
	 * wrong
	 */
	JWTClaimsSet verify(String assertion) throws ParseException, BadJOSEException, JOSEException {
		return this.processor.process(assertion, null);
	}

}
