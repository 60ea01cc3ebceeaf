package com.iotorq.lean.gateway.sso.login;

import com.iotorq.lean.gateway.account.LeanUser;
import com.iotorq.lean.gateway.tenant.Tenant;

/**
 * Whether a session still belongs to its organisation as this replica knows it: the same
 * organisation (by id: a slug can be deleted and registered again) and the same SSO
 * settings version. Session versions only grow, so a session can also tell that it is
 * newer than this replica's cached organisation, which then has not yet heard of a change
 * made elsewhere. Compared with the cached organisation only: no database query per
 * request.
 */
enum SessionBinding {

	/** Signed in under the organisation and settings in force: honoured. */
	CURRENT,

	/**
	 * Signed in under settings replaced since (another directory, app registration or
	 * group list), to an organisation deleted since, or stored before sessions were
	 * bound: the session ends.
	 */
	ENDED,

	/**
	 * Signed in to a newer incarnation of the organisation than this replica has cached
	 * (it was deleted and created again moments ago): anonymous here for now, but kept,
	 * since the cache is what is out of date.
	 */
	AHEAD_OF_CACHE;

	/**
	 * @param tenant the organisation of the request's host, with SSO
	 */
	static SessionBinding of(LeanUser user, Tenant tenant) {
		if (user.tenantId() == null || user.ssoSessionVersion() < tenant.ssoSessionVersion()) {
			return ENDED;
		}
		// a newer version under the same id: this replica has not yet heard of the
		// change; the
		// settings the person signed in under are the newest there are
		return user.tenantId().equals(tenant.id()) ? CURRENT : AHEAD_OF_CACHE;
	}

}
