package com.iotorq.lean.gateway.scim;

import java.time.Instant;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import com.iotorq.lean.gateway.account.Account;

/**
 * An account as SCIM sees it: the account and the name parts SCIM keeps besides it.
 *
 * @param id the account's id, the SCIM {@code id}
 * @param email its email, the SCIM {@code userName}
 * @param displayName its display name
 * @param status its status; SCIM's {@code active} is {@code ACTIVE}
 * @param idpDirectoryId the directory it is linked to
 * @param idpObjectId the identity it is linked to, the SCIM {@code externalId} when in
 * the organisation's directory
 * @param givenName the given name SCIM sent
 * @param familyName the family name SCIM sent
 * @param createdAt when the account was created
 * @param updatedAt when it last changed
 */
record ScimAccount(UUID id, String email, @Nullable String displayName, Account.Status status,
		@Nullable String idpDirectoryId, @Nullable String idpObjectId, @Nullable String givenName,
		@Nullable String familyName, Instant createdAt, Instant updatedAt) {

	boolean isLinked() {
		return this.idpObjectId != null;
	}

	/** The identity it is linked to when that is in this directory, else {@code null}. */
	@Nullable String objectIdIn(@Nullable String directoryId) {
		return (directoryId != null && directoryId.equalsIgnoreCase(this.idpDirectoryId)) ? this.idpObjectId : null;
	}

}
