package com.iotorq.lean.gateway.account;

import java.time.Instant;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * A person's LEAN account in one organisation.
 *
 * @param id stable identifier, sent to backends as {@code X-Lean-User-Id}
 * @param tenantId the organisation
 * @param email unique per organisation, compared case-insensitively
 * @param displayName the person's name
 * @param status whether the account may be used
 * @param idpDirectoryId the identity provider directory it is linked to (Entra
 * {@code tid})
 * @param idpObjectId the person's immutable id there (Entra {@code oid})
 * @param createdAt when the account was created
 * @param lastSignInAt the last successful sign-in
 */
public record Account(UUID id, UUID tenantId, String email, @Nullable String displayName, Status status,
		@Nullable String idpDirectoryId, @Nullable String idpObjectId, Instant createdAt,
		@Nullable Instant lastSignInAt) {

	public enum Status {

		ACTIVE, PENDING_ACTIVATION, DISABLED

	}

	public boolean isLinked() {
		return this.idpObjectId != null;
	}

}
