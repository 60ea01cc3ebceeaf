package com.iotorq.lean.gateway.secrets;

import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Keys that encrypt stored client secrets.
 *
 * @param key base64 of 32 random bytes ({@code LEAN_SECRETS_KEY}); encrypts every new
 * secret
 * @param previousKeys earlier keys ({@code LEAN_SECRETS_PREVIOUS_KEYS}, comma-separated),
 * still accepted for decryption while secrets are re-encrypted during a rotation
 */
@ConfigurationProperties(SecretsProperties.PREFIX)
public record SecretsProperties(@Nullable String key, @DefaultValue List<String> previousKeys) {

	public static final String PREFIX = "lean.secrets";

}
