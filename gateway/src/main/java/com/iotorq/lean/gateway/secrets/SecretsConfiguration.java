package com.iotorq.lean.gateway.secrets;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.env.Profiles;

import com.iotorq.lean.gateway.config.ConfigurationProblem;

@Configuration(proxyBeanMethods = false)
class SecretsConfiguration {

	private static final Logger logger = LoggerFactory.getLogger(SecretsConfiguration.class);

	/** The profile of the local try-out, the only place a generated key is acceptable. */
	static final String LOCAL_PROFILE = "local";

	@Bean
	SecretCipher secretCipher(SecretsProperties properties, Environment environment) {
		String key = properties.key();
		if (key == null || key.isBlank()) {
			if (!environment.acceptsProfiles(Profiles.of(LOCAL_PROFILE))) {
				throw new ConfigurationProblem(
						"No key to encrypt stored client secrets is configured (LEAN_SECRETS_KEY).",
						"Set LEAN_SECRETS_KEY to base64 of 32 random bytes, e.g. from `openssl rand -base64 32`.");
			}
			byte[] bytes = new byte[32];
			new SecureRandom().nextBytes(bytes);
			key = Base64.getEncoder().encodeToString(bytes);
			logger.warn("LEAN_SECRETS_KEY is not set: using a random key for this run only (profile '{}'); "
					+ "client secrets stored now will not decrypt after a restart", LOCAL_PROFILE);
		}
		SecretCipher cipher;
		try {
			cipher = new SecretCipher(key, List.copyOf(properties.previousKeys()));
		}
		catch (IllegalArgumentException ex) {
			throw new ConfigurationProblem(ex.getMessage() + ".",
					"Correct the key; never paste it into a ticket or a log.");
		}
		logger.info("Client secrets are encrypted with key {}", cipher.currentKeyId());
		return cipher;
	}

}
