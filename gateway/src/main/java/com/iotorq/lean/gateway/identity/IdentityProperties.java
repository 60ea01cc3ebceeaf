package com.iotorq.lean.gateway.identity;

import java.time.Duration;
import java.util.List;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The signed identity assertion ({@code X-Lean-Identity}) sent to backends.
 *
 * @param issuer the assertion's {@code iss} ({@code LEAN_IDENTITY_ISSUER})
 * @param audience its {@code aud} ({@code LEAN_IDENTITY_AUDIENCE})
 * @param lifetime how long one assertion is valid; at most 5 minutes
 * @param signingKey EC P-256 private key, PKCS#8 PEM ({@code LEAN_IDENTITY_SIGNING_KEY});
 * only the local try-out may run without one
 * @param previousPublicKeys public keys (PEM) of earlier signing keys, still published
 * during a rotation ({@code LEAN_IDENTITY_PREVIOUS_PUBLIC_KEYS})
 */
@Validated
@ConfigurationProperties(IdentityProperties.PREFIX)
public record IdentityProperties(@DefaultValue("https://gateway.iotorq-lean.com") @NotBlank String issuer,
		@DefaultValue("lean-backends") @NotBlank String audience, @DefaultValue("5m") @NotNull Duration lifetime,
		@Nullable String signingKey, @DefaultValue List<String> previousPublicKeys) {

	public static final String PREFIX = "lean.identity";

	public static final Duration MAX_LIFETIME = Duration.ofMinutes(5);

}
