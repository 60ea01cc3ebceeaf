package com.iotorq.lean.gateway.setup;

import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * What a test sign-in through the draft registration showed: who signed in and what LEAN
 * would do with them, or why it failed. Nothing of it changed an account or made a
 * session.
 *
 * @param at when it came back
 * @param ok whether the sign-in succeeded (the ID token passed every check)
 * @param name the {@code name} claim
 * @param email the email LEAN would use, and whether the directory vouches for it
 * @param emailVerified whether the directory vouches for {@code email}
 * @param objectId the person's object id ({@code oid})
 * @param directoryId their directory ({@code tid})
 * @param groups the groups claim: a count, "overage", or "not sent"
 * @param account which LEAN account matches, in words
 * @param outcomes what their first real sign-in would do under each provisioning choice
 * @param problem why it failed, explained as on the sign-in error pages
 */
record TestSignInResult(Instant at, boolean ok, @Nullable String name, @Nullable String email, boolean emailVerified,
		@Nullable String objectId, @Nullable String directoryId, @Nullable String groups, @Nullable String account,
		List<Outcome> outcomes, @Nullable Explained problem) {

	static TestSignInResult failed(Instant at, Explained problem) {
		return new TestSignInResult(at, false, null, null, false, null, null, null, null, List.of(), problem);
	}

	/**
	 * @param provisioning {@code EXISTING_ONLY}, {@code AUTO_ACTIVATE} or
	 * {@code PENDING_ACTIVATION}
	 * @param outcome what happens to this person under it
	 */
	record Outcome(String provisioning, String outcome) {
	}

}
