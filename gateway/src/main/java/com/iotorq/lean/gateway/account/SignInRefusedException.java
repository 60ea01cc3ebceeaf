package com.iotorq.lean.gateway.account;

import java.util.UUID;

import org.jspecify.annotations.Nullable;

import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;

import com.iotorq.lean.gateway.web.ErrorCode;
import com.iotorq.lean.gateway.web.ErrorReport;

/**
 * The identity provider signed the person in, but LEAN does not let them in: no account,
 * a disabled one, one not yet activated, or not in an allowed group. Raised during
 * authentication, so no session is created. Carries what the sign-in audit records about
 * the person; never a token.
 */
public final class SignInRefusedException extends OAuth2AuthenticationException {

	private final ErrorCode reason;

	private final @Nullable UUID accountId;

	private final @Nullable String email;

	private final @Nullable String detail;

	private final @Nullable ErrorReport report;

	public SignInRefusedException(ErrorCode reason) {
		this(reason, null, null, null, null);
	}

	/**
	 * @param reason why, and the page shown unless {@code report} is given
	 * @param accountId the account concerned, when there is one
	 * @param email the person's email, when known
	 * @param detail more precise reason for the sign-in audit, e.g. which check refused
	 * @param report the page to show instead of the reason's own
	 */
	public SignInRefusedException(ErrorCode reason, @Nullable UUID accountId, @Nullable String email,
			@Nullable String detail, @Nullable ErrorReport report) {
		super(new OAuth2Error(reason.code(), reason.message(), null), reason.message());
		this.reason = reason;
		this.accountId = accountId;
		this.email = email;
		this.detail = detail;
		this.report = report;
	}

	/** Refused for this account's sake, e.g. it is disabled. */
	public static SignInRefusedException forAccount(ErrorCode reason, Account account) {
		return new SignInRefusedException(reason, account.id(), account.email(), null, null);
	}

	public ErrorCode reason() {
		return this.reason;
	}

	public @Nullable UUID accountId() {
		return this.accountId;
	}

	public @Nullable String email() {
		return this.email;
	}

	public @Nullable String detail() {
		return this.detail;
	}

	/** What the person sees. */
	public ErrorReport report() {
		return (this.report != null) ? this.report : ErrorReport.of(this.reason);
	}

}
