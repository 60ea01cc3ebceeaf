package com.iotorq.lean.gateway.audit;

import java.time.Instant;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * One sign-in attempt: who, when, and how it ended. Never a token or a secret.
 *
 * @param occurredAt when (set by the database when recorded)
 * @param success whether the person was signed in
 * @param reason why it ended so: {@code signed_in}, or a failure such as
 * {@code id_token_rejected}, {@code idp_error}, {@code no_account}, {@code account_disabled},
 * {@code account_pending}, {@code not_in_group}, {@code group_membership_unknown}
 * @param detail more precisely, e.g. which ID token check failed
 * @param errorCode the identity provider's error code, e.g. {@code AADSTS50105}
 * @param accountId the LEAN account, when known
 * @param email the person's email, when known
 * @param idpObjectId the person's id at the identity provider (Entra {@code oid}), when known
 * @param correlationId the identity provider's correlation id of a failure
 * @param idpTokenId the identity provider's id of the ID token of a success (Entra {@code uti},
 * "Unique token identifier" in Entra's sign-in logs)
 */
public record SignInEvent(@Nullable Instant occurredAt, boolean success, String reason, @Nullable String detail,
		@Nullable String errorCode, @Nullable UUID accountId, @Nullable String email, @Nullable String idpObjectId,
		@Nullable String correlationId, @Nullable String idpTokenId) {

	public static final String SIGNED_IN = "signed_in";

}
