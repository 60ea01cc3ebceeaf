package com.iotorq.lean.gateway.identity;

import java.security.InvalidAlgorithmParameterException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.env.Profiles;

import com.iotorq.lean.gateway.config.ConfigurationProblem;

@Configuration(proxyBeanMethods = false)
class IdentityConfiguration {

	private static final Logger logger = LoggerFactory.getLogger(IdentityConfiguration.class);

	@Bean
	IdentityKeys identityKeys(IdentityProperties properties, Environment environment) {
		if (properties.lifetime().compareTo(IdentityProperties.MAX_LIFETIME) > 0 || properties.lifetime().isNegative()
				|| properties.lifetime().isZero()) {
			throw new ConfigurationProblem(
					"lean.identity.lifetime is " + properties.lifetime()
							+ ", but identity assertions may live at most 5 minutes.",
					"Set lean.identity.lifetime to 5m or less.");
		}
		ECKey signingKey = signingKey(properties, environment);
		List<ECKey> previous = new ArrayList<>();
		for (String pem : properties.previousPublicKeys()) {
			if (!pem.isBlank()) {
				try {
					previous.add(PemKeys.publicKey(pem));
				}
				catch (IllegalArgumentException ex) {
					throw new ConfigurationProblem(
							"A key in LEAN_IDENTITY_PREVIOUS_PUBLIC_KEYS is unusable: " + ex.getMessage() + ".",
							"Give the PEM public keys ('-----BEGIN PUBLIC KEY-----') of earlier signing keys.");
				}
			}
		}
		IdentityKeys keys = new IdentityKeys(signingKey, previous);
		logger.info("Identity assertions are signed with key {}; {} key(s) published", signingKey.getKeyID(),
				keys.publicKeys().size());
		return keys;
	}

	@Bean
	IdentityAssertions identityAssertions(IdentityKeys keys, IdentityProperties properties, Clock clock) {
		return new IdentityAssertions(keys, properties, clock);
	}

	private static ECKey signingKey(IdentityProperties properties, Environment environment) {
		String pem = properties.signingKey();
		if (pem != null && !pem.isBlank()) {
			try {
				return PemKeys.privateKey(pem);
			}
			catch (IllegalArgumentException ex) {
				throw new ConfigurationProblem("LEAN_IDENTITY_SIGNING_KEY is unusable: " + ex.getMessage() + ".",
						"Create a key with `openssl ecparam -name prime256v1 -genkey -noout | openssl pkcs8 -topk8 -nocrypt` "
								+ "and put the whole PEM text in LEAN_IDENTITY_SIGNING_KEY.");
			}
		}
		if (!environment.acceptsProfiles(Profiles.of("local"))) {
			throw new ConfigurationProblem(
					"No key to sign identity assertions is configured (LEAN_IDENTITY_SIGNING_KEY).",
					"Create one with `openssl ecparam -name prime256v1 -genkey -noout | openssl pkcs8 -topk8 -nocrypt` "
							+ "and put the PEM text in LEAN_IDENTITY_SIGNING_KEY.");
		}
		logger
			.warn("LEAN_IDENTITY_SIGNING_KEY is not set: signing identity assertions with a key generated for this run "
					+ "(profile 'local'); backends must fetch the JWKS again after a restart");
		return generated();
	}

	private static ECKey generated() {
		try {
			KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
			generator.initialize(new ECGenParameterSpec("secp256r1"));
			KeyPair pair = generator.generateKeyPair();
			return PemKeys.signingKey(new ECKey.Builder(Curve.P_256, (ECPublicKey) pair.getPublic())
				.privateKey((ECPrivateKey) pair.getPrivate()));
		}
		catch (NoSuchAlgorithmException | InvalidAlgorithmParameterException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
