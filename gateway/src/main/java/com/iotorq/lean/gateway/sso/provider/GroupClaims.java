package com.iotorq.lean.gateway.sso.provider;

import java.util.Set;

/**
 * What a validated ID token says about the groups a person belongs to.
 *
 * @param kind whether the token lists the groups
 * @param groupIds the listed group ids, empty unless {@link Kind#LISTED}
 */
public record GroupClaims(Kind kind, Set<String> groupIds) {

	public GroupClaims {
		groupIds = Set.copyOf(groupIds);
	}

	public static GroupClaims listed(Set<String> groupIds) {
		return new GroupClaims(Kind.LISTED, groupIds);
	}

	public static GroupClaims overage() {
		return new GroupClaims(Kind.OVERAGE, Set.of());
	}

	public static GroupClaims absent() {
		return new GroupClaims(Kind.ABSENT, Set.of());
	}

	public enum Kind {

		/** The token lists the person's groups (possibly none). */
		LISTED,
		/**
		 * The person is in more groups than fit in a token: the provider left the list
		 * out and points elsewhere. Membership is unknown, so an allow-list must refuse.
		 */
		OVERAGE,
		/**
		 * The token says nothing about groups (the app registration does not ask for
		 * them).
		 */
		ABSENT

	}

}
