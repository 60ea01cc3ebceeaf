package com.iotorq.lean.gateway.sso.login;

import java.time.Duration;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;

import org.springframework.http.HttpStatus;

import com.iotorq.lean.gateway.account.SignInRefusedException;
import com.iotorq.lean.gateway.audit.SignInEvent;
import com.iotorq.lean.gateway.sso.provider.ProviderError;
import com.iotorq.lean.gateway.web.ErrorCode;
import com.iotorq.lean.gateway.web.ErrorReport;
import com.iotorq.lean.gateway.web.GatewayPaths;

/**
 * What went wrong in a sign-in, worked out once from the exception by
 * {@link SignInFailures}, and everything that follows from it: the page the person sees
 * (who must act, what they should do), the sign-in audit's reason and detail, the
 * metric's outcome and the operators' log line. One record per kind of failure, so that
 * each kind says all of this in one place.
 */
public sealed interface SignInFailure {

	/**
	 * Sent as {@code Retry-After} for a provider that did not answer: about when its
	 * circuit breaker half-opens.
	 */
	Duration IDP_RETRY_AFTER = Duration.ofSeconds(30);

	/**
	 * The stable code of this kind of failure, recorded as the sign-in audit's reason,
	 * e.g. {@code id_token_rejected}, {@code idp_error}, {@code no_account}.
	 */
	String reason();

	/** What the person sees: status, texts, who can fix it, and the way on. */
	ErrorReport page();

	/** The entry of the sign-in audit. Never a token. */
	SignInEvent auditEvent();

	/** Tells operators, unless the page and the audit say all there is. */
	void log(Logger logger, String tenant);

	/**
	 * The {@code outcome} tag of {@code lean_sign_ins_total}: the provider's or the
	 * refusal's own code when the page names one (e.g. {@code AADSTS50105}), else the
	 * page's code (e.g. {@code sign-in-rejected}).
	 */
	default String metricTag() {
		return page().facts()
			.stream()
			.filter(fact -> fact.field().equals("error"))
			.map(ErrorReport.Fact::value)
			.findFirst()
			.orElse(page().code());
	}

	private static ErrorReport retry(ErrorCode code) {
		return ErrorReport.of(code).withLink("Sign in again", GatewayPaths.LOGIN);
	}

	/** The identity provider signed the person in, but LEAN does not let them in. */
	record Refused(SignInRefusedException refusal) implements SignInFailure {

		@Override
		public String reason() {
			return switch (this.refusal.reason()) {
				case ACCOUNT_NOT_FOUND -> "no_account";
				case ACCOUNT_DISABLED -> "account_disabled";
				case ACCOUNT_PENDING -> "account_pending";
				case NOT_IN_ALLOWED_GROUP -> "not_in_group";
				case GROUP_MEMBERSHIP_UNKNOWN -> "group_membership_unknown";
				default -> this.refusal.reason().code().replace('-', '_');
			};
		}

		@Override
		public ErrorReport page() {
			return this.refusal.report();
		}

		@Override
		public SignInEvent auditEvent() {
			return SignInEvent.refused(reason(), this.refusal.detail(), this.refusal.accountId(), this.refusal.email());
		}

		@Override
		public void log(Logger logger, String tenant) {
			// the audit records who and why
		}

	}

	/**
	 * The callback does not belong to a sign-in started here: expired, replayed or
	 * forged.
	 *
	 * @param error Spring Security's code, e.g. {@code authorization_request_not_found}
	 */
	record CallbackInvalid(String error) implements SignInFailure {

		@Override
		public String reason() {
			return "callback_invalid";
		}

		@Override
		public ErrorReport page() {
			return retry(ErrorCode.SIGN_IN_EXPIRED);
		}

		@Override
		public SignInEvent auditEvent() {
			return SignInEvent.failed(reason(), this.error, null, null);
		}

		@Override
		public void log(Logger logger, String tenant) {
			logger.info("Sign-in to {} refused: {} (expired, replayed or forged callback)", tenant, this.error);
		}

	}

	/**
	 * The ID token failed validation.
	 *
	 * @param checks which checks it failed, e.g. {@code iss}, {@code tid}, {@code exp},
	 * {@code nonce}, {@code signature}, {@code kid}, {@code alg}; empty when it did not
	 * say
	 * @param explanation the errors as reported, for operators; never a token
	 */
	record IdTokenRejected(List<String> checks, String explanation) implements SignInFailure {

		public IdTokenRejected {
			checks = List.copyOf(checks);
		}

		@Override
		public String reason() {
			return "id_token_rejected";
		}

		@Override
		public ErrorReport page() {
			return retry(ErrorCode.SIGN_IN_REJECTED);
		}

		/** The checks first, e.g. {@code tid (invalid_id_token: ...)}. */
		@Override
		public SignInEvent auditEvent() {
			String failed = this.checks.isEmpty() ? "unknown" : String.join(", ", this.checks);
			return SignInEvent.failed(reason(), failed + " (" + this.explanation + ")", null, null);
		}

		@Override
		public void log(Logger logger, String tenant) {
			logger.warn("Sign-in to {} refused: the ID token failed validation: {}", tenant, this.explanation);
		}

	}

	/**
	 * The identity provider answered with an error.
	 *
	 * @param error its OAuth error code, if safe to show, else {@code invalid_error}
	 * @param explained what the provider's code means, who must act, and the correlation
	 * id, when the provider knows the code
	 */
	record ProviderFailed(String error, @Nullable ProviderError explained) implements SignInFailure {

		@Override
		public String reason() {
			return "idp_error";
		}

		@Override
		public ErrorReport page() {
			ProviderError explanation = this.explained;
			if (explanation == null) {
				return retry(ErrorCode.SIGN_IN_FAILED).withFact("error", "Error code", this.error);
			}
			HttpStatus status = (explanation.actor() == ProviderError.Actor.USER) ? HttpStatus.UNAUTHORIZED
					: HttpStatus.FORBIDDEN;
			return retry(ErrorCode.SIGN_IN_FAILED).withStatus(status)
				.withText(explanation.title(), explanation.detail(), explanation.action())
				.withFact("error", "Error code", explanation.code())
				.withFact("fixedBy", "Who can fix this", explanation.actor().label())
				.withFact("correlationId", "Correlation ID", explanation.correlationId());
		}

		@Override
		public SignInEvent auditEvent() {
			ProviderError explanation = this.explained;
			if (explanation == null) {
				return SignInEvent.failed(reason(), this.error, this.error, null);
			}
			return SignInEvent.failed(reason(), this.error + ": " + explanation.title(), explanation.code(),
					explanation.correlationId());
		}

		@Override
		public void log(Logger logger, String tenant) {
			ProviderError explanation = this.explained;
			if (explanation == null) {
				logger.warn("Sign-in to {} failed with error '{}'", tenant, this.error);
				return;
			}
			logger.info("Sign-in to {} failed: {} ({}), for {} to fix", tenant, explanation.code(), this.error,
					explanation.actor());
		}

	}

	/**
	 * The identity provider (its token endpoint or its keys) did not answer in time.
	 *
	 * @param description what did not answer, for the audit
	 * @param explanation the error and its causes, for operators
	 */
	record ProviderUnreachable(@Nullable String description, String explanation) implements SignInFailure {

		@Override
		public String reason() {
			return "idp_unavailable";
		}

		@Override
		public ErrorReport page() {
			return retry(ErrorCode.IDP_UNAVAILABLE).withRetryAfter(IDP_RETRY_AFTER);
		}

		@Override
		public SignInEvent auditEvent() {
			return SignInEvent.failed(reason(), this.description, null, null);
		}

		@Override
		public void log(Logger logger, String tenant) {
			logger.warn("Sign-in to {} failed: the identity provider did not answer: {}", tenant, this.explanation);
		}

	}

	/** The organisation does not (or no longer) sign in through single sign-on. */
	record SsoNotEnabled() implements SignInFailure {

		@Override
		public String reason() {
			return "sso_not_enabled";
		}

		@Override
		public ErrorReport page() {
			return ErrorReport.of(ErrorCode.SSO_NOT_ENABLED);
		}

		@Override
		public SignInEvent auditEvent() {
			return SignInEvent.failed(reason(), null, null, null);
		}

		@Override
		public void log(Logger logger, String tenant) {
			// nothing went wrong but the address
		}

	}

	/**
	 * Anything else: a failure the gateway does not know.
	 *
	 * @param type the exception's simple class name
	 * @param message its message, for the log only
	 */
	record Unexpected(String type, @Nullable String message) implements SignInFailure {

		@Override
		public String reason() {
			return "sign_in_failed";
		}

		@Override
		public ErrorReport page() {
			return retry(ErrorCode.SIGN_IN_FAILED);
		}

		@Override
		public SignInEvent auditEvent() {
			return SignInEvent.failed(reason(), this.type, null, null);
		}

		@Override
		public void log(Logger logger, String tenant) {
			logger.warn("Sign-in to {} failed: {}", tenant, this.message);
		}

	}

}
