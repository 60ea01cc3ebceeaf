package com.iotorq.lean.gateway.sso.provider;

import org.jspecify.annotations.Nullable;

/**
 * An identity provider's error, explained for the person who meets it.
 *
 * @param code the provider's own code, e.g. {@code AADSTS50105}
 * @param title short summary
 * @param detail what happened
 * @param actor who must act
 * @param action what they should do
 * @param correlationId the provider's correlation id for its support, when given
 */
public record ProviderError(String code, String title, String detail, Actor actor, String action,
		@Nullable String correlationId) {

	/** Who can fix a sign-in problem. */
	public enum Actor {

		/** The person signing in. */
		USER("You"),
		/** The organisation's identity provider administrator. */
		IDP_ADMIN("Your organisation's identity administrator"),
		/** LEAN support, who hold the organisation's SSO settings. */
		LEAN_SUPPORT("LEAN support");

		private final String label;

		Actor(String label) {
			this.label = label;
		}

		public String label() {
			return this.label;
		}

	}

}
