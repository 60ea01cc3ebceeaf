package com.iotorq.lean.gateway.sso.provider;

import org.jspecify.annotations.Nullable;

/**
 * Why one step of verifying an organisation's SSO credentials failed, explained for LEAN
 * support.
 *
 * @param errorCode the provider's code, e.g. {@code AADSTS7000215}, or an HTTP status
 * when it gave none
 * @param summary what is wrong, e.g. "Tenant ID not found"
 * @param instruction what support should do about it
 * @param correlationId the provider's correlation id, for its support, when given
 */
public record VerificationProblem(@Nullable String errorCode, String summary, String instruction,
		@Nullable String correlationId) {
}
