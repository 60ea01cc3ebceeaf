package com.iotorq.lean.gateway.audit;

import java.time.Instant;
import java.util.UUID;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * One sign-in attempt: who, when, and how it ended. Never a token or a secret.
 *
 * @param occurredAt when (set by the database when recorded)
 * @param success whether the person was signed in
 * @param reason why it ended so: {@code signed_in}, or a failure such as
 * {@code id_token_rejected}, {@code idp_error}, {@code no_account},
 * {@code account_disabled}, {@code account_pending}, {@code not_in_group},
 * {@code group_membership_unknown}
 * @param detail more precisely, e.g. which ID token check failed
 * @param errorCode the identity provider's error code, e.g. {@code AADSTS50105}
 * @param accountId the LEAN account, when known
 * @param email the person's email, when known
 * @param idpObjectId the person's id at the identity provider (Entra {@code oid}), when
 * known
 * @param correlationId the identity provider's correlation id of a failure
 * @param idpTokenId the identity provider's id of the ID token of a success (Entra
 * {@code uti}, "Unique token identifier" in Entra's sign-in logs)
 */
public record SignInEvent(@Nullable Instant occurredAt, boolean success, String reason, @Nullable String detail,
		@Nullable String errorCode, @Nullable UUID accountId, @Nullable String email, @Nullable String idpObjectId,
		@Nullable String correlationId, @Nullable String idpTokenId) {

	public static final String SIGNED_IN = "signed_in";

	/** Anything shaped like a JWT, removed from texts before they are stored. */
	private static final Pattern JWT = Pattern.compile("eyJ[A-Za-z0-9_-]*\\.[A-Za-z0-9_-]*(\\.[A-Za-z0-9_-]*)?");

	/**
	 * A person signed in.
	 * @param idpTokenId the provider's id of the ID token, when it gives one
	 */
	public static SignInEvent succeeded(UUID accountId, @Nullable String email, @Nullable String idpObjectId,
			@Nullable String idpTokenId) {
		return new SignInEvent(null, true, SIGNED_IN, null, null, accountId, email, idpObjectId, null, idpTokenId);
	}

	/**
	 * A sign-in that succeeded for someone who is not (yet) a LEAN account, e.g. another
	 * kind of principal.
	 */
	public static SignInEvent succeededWithoutAccount() {
		return new SignInEvent(null, true, SIGNED_IN, null, null, null, null, null, null, null);
	}

	/**
	 * The identity provider signed the person in, but LEAN refused them.
	 * @param reason e.g. {@code no_account}, {@code account_disabled},
	 * {@code not_in_group}
	 * @param detail which check refused, when it says more than the reason
	 */
	public static SignInEvent refused(String reason, @Nullable String detail, @Nullable UUID accountId,
			@Nullable String email) {
		return new SignInEvent(null, false, reason, withoutTokensIn(detail), null, accountId, email, null, null, null);
	}

	/**
	 * The sign-in failed before anyone was known: the callback, the ID token or the
	 * identity provider.
	 * @param reason e.g. {@code id_token_rejected}, {@code idp_error},
	 * {@code idp_unavailable}
	 * @param detail more precisely, e.g. which ID token check failed
	 * @param errorCode the identity provider's error code
	 * @param correlationId the identity provider's correlation id of the failure
	 */
	public static SignInEvent failed(String reason, @Nullable String detail, @Nullable String errorCode,
			@Nullable String correlationId) {
		return new SignInEvent(null, false, reason, withoutTokensIn(detail), errorCode, null, null, null, correlationId,
				null);
	}

	/** A text with anything shaped like a token replaced, on one line. */
	public static String withoutTokens(String text) {
		return JWT.matcher(text).replaceAll("[token]").replaceAll("[\\r\\n]+", " ");
	}

	private static @Nullable String withoutTokensIn(@Nullable String detail) {
		return (detail != null) ? withoutTokens(detail) : null;
	}

}
