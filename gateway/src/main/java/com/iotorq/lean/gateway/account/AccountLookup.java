package com.iotorq.lean.gateway.account;

import java.util.UUID;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * What re-checking a live session needs to know about its account, apart from where it is
 * stored (a test answers it from memory).
 */
public interface AccountLookup {

	/**
	 * What re-checking a live session reads: the account's status and its organisation's
	 * SSO settings version.
	 * @param id the account
	 * @return the account's standing, empty when the account no longer exists
	 */
	Mono<SessionStanding> sessionStandingOf(UUID id);

	/**
	 * @param status the account's status
	 * @param tenantId its organisation
	 * @param ssoSessionVersion the organisation's current SSO settings version,
	 * {@code null} when it no longer uses SSO
	 * @param idpDirectoryId the directory of the identity the account is linked to,
	 * {@code null} when unlinked
	 * @param idpObjectId the identity the account is linked to, {@code null} when
	 * unlinked
	 */
	record SessionStanding(Account.Status status, UUID tenantId, @Nullable Long ssoSessionVersion,
			@Nullable String idpDirectoryId, @Nullable String idpObjectId) {

		/**
		 * Whether the account is still linked to the identity that signed in (an admin
		 * may unlink or re-bind it).
		 */
		public boolean linkedTo(String directoryId, String objectId) {
			return directoryId.equalsIgnoreCase(this.idpDirectoryId) && objectId.equalsIgnoreCase(this.idpObjectId);
		}

	}

}
