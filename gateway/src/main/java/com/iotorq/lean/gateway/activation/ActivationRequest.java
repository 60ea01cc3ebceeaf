package com.iotorq.lean.gateway.activation;

import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import com.iotorq.lean.gateway.tenant.Tenant;

/**
 * An activation link someone opened before proving who they are: kept in their session
 * while they sign in, so that the sign-in can complete it if (and only if) they turn out
 * to be the identity the pending account is bound to. Holds the token's hash, never the
 * token.
 * <p>
 * Stored as one string: a session holds only the types that {@code session.SessionTypes}
 * allows, and a string needs no entry there.
 *
 * @param tenantSlug the organisation whose host the link was opened on
 * @param accountId the pending account the link activates
 * @param tokenHash the link's token, hashed as the database stores it (base64url)
 */
record ActivationRequest(String tenantSlug, UUID accountId, String tokenHash) {

	/** Session attribute. */
	static final String SESSION_ATTRIBUTE = ActivationRequest.class.getName();

	private static final String SEPARATOR = " ";

	static ActivationRequest of(Tenant tenant, ActivationTokens.Link link, String token) {
		return new ActivationRequest(tenant.slug(), link.accountId(), ActivationTokens.hashText(token));
	}

	void storeIn(Map<String, Object> sessionAttributes) {
		sessionAttributes.put(SESSION_ATTRIBUTE,
				String.join(SEPARATOR, this.tenantSlug, this.accountId.toString(), this.tokenHash));
	}

	/**
	 * Takes this organisation's request out of the session (it is used once, whatever
	 * follows).
	 */
	static Optional<ActivationRequest> takeFrom(Map<String, Object> sessionAttributes, Tenant tenant) {
		if (!(sessionAttributes.remove(SESSION_ATTRIBUTE) instanceof String value)) {
			return Optional.empty();
		}
		String[] parts = value.split(SEPARATOR, -1);
		if (parts.length != 3 || !parts[0].equals(tenant.slug())) {
			return Optional.empty();
		}
		try {
			return Optional.of(new ActivationRequest(parts[0], UUID.fromString(parts[1]), parts[2]));
		}
		catch (IllegalArgumentException ex) {
			return Optional.empty();
		}
	}

}
