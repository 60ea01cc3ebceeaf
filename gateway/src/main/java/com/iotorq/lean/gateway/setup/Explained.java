package com.iotorq.lean.gateway.setup;

import org.jspecify.annotations.Nullable;

import com.iotorq.lean.gateway.sso.provider.ProviderError;

/**
 * An identity provider's error as the setup page shows it: the same explanation as the
 * sign-in error pages ({@link ProviderError}), kept with the setup session.
 *
 * @param code the provider's code, e.g. {@code AADSTS7000215}
 * @param title short summary
 * @param detail what happened
 * @param actor who must act
 * @param action what they should do
 * @param correlationId the provider's correlation id, for its support
 */
record Explained(String code, String title, String detail, String actor, String action,
		@Nullable String correlationId) {

	static Explained of(ProviderError error) {
		return new Explained(error.code(), error.title(), error.detail(), error.actor().label(), error.action(),
				error.correlationId());
	}

}
