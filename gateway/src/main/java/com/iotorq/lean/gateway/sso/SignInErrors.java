package com.iotorq.lean.gateway.sso;

import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.http.HttpStatus;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.jwt.JwtValidationException;

import com.iotorq.lean.gateway.account.SignInRefusedException;
import com.iotorq.lean.gateway.tenant.Tenant;
import com.iotorq.lean.gateway.web.ErrorCode;
import com.iotorq.lean.gateway.web.ErrorReport;
import com.iotorq.lean.gateway.web.GatewayPaths;

/**
 * What a person sees when sign-in fails, and the line operators get in the log. Texts from the
 * identity provider are never shown: only codes extracted and checked by the provider.
 */
public final class SignInErrors {

	/** OAuth error code for an identity provider that did not answer in time. */
	public static final String IDP_UNAVAILABLE = "idp_unavailable";

	private static final Logger logger = LoggerFactory.getLogger(SignInErrors.class);

	private static final Pattern SAFE_CODE = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

	/** When to try a provider that did not answer again: about when its circuit breaker half-opens. */
	private static final java.time.Duration IDP_RETRY_AFTER = java.time.Duration.ofSeconds(30);

	private final IdentityProviders providers;

	public SignInErrors(IdentityProviders providers) {
		this.providers = providers;
	}

	public ErrorReport report(@Nullable Tenant tenant, AuthenticationException failure) {
		String slug = (tenant != null) ? tenant.slug() : "-";
		if (failure instanceof SignInRefusedException refused) {
			return refused.report();
		}
		if (!(failure instanceof OAuth2AuthenticationException oauth)) {
			logger.warn("Sign-in to {} failed: {}", slug, failure.getMessage());
			return retry(ErrorReport.of(ErrorCode.SIGN_IN_FAILED));
		}
		OAuth2Error error = oauth.getError();
		String code = error.getErrorCode();
		switch (code) {
			case "authorization_request_not_found", "invalid_state_parameter", "invalid_redirect_uri_parameter" -> {
				logger.info("Sign-in to {} refused: {} (expired, replayed or forged callback)", slug, code);
				return retry(ErrorReport.of(ErrorCode.SIGN_IN_EXPIRED));
			}
			case "invalid_id_token", "invalid_nonce", "invalid_tenant" -> {
				logger.warn("Sign-in to {} refused: the ID token failed validation: {}", slug, reason(oauth));
				return retry(ErrorReport.of(ErrorCode.SIGN_IN_REJECTED));
			}
			case IDP_UNAVAILABLE -> {
				logger.warn("Sign-in to {} failed: the identity provider did not answer: {}", slug, reason(oauth));
				return retry(ErrorReport.of(ErrorCode.IDP_UNAVAILABLE)).withRetryAfter(IDP_RETRY_AFTER);
			}
			case "sso_not_enabled", "client_registration_not_found" -> {
				return ErrorReport.of(ErrorCode.SSO_NOT_ENABLED);
			}
			default -> {
				return providerError(tenant, slug, error);
			}
		}
	}

	private ErrorReport providerError(@Nullable Tenant tenant, String slug, OAuth2Error error) {
		String code = SAFE_CODE.matcher(error.getErrorCode()).matches() ? error.getErrorCode() : "invalid_error";
		var explained = (tenant != null && tenant.hasSso())
				? this.providers.get(tenant.requiredSso().provider()).explain(error.getErrorCode(), error.getDescription())
				: java.util.Optional.<ProviderError>empty();
		if (explained.isEmpty()) {
			logger.warn("Sign-in to {} failed with error '{}'", slug, code);
			return retry(ErrorReport.of(ErrorCode.SIGN_IN_FAILED)).withFact("error", "Error code", code);
		}
		ProviderError explanation = explained.get();
		logger.info("Sign-in to {} failed: {} ({}), for {} to fix", slug, explanation.code(), code, explanation.actor());
		HttpStatus status = (explanation.actor() == ProviderError.Actor.USER) ? HttpStatus.UNAUTHORIZED
				: HttpStatus.FORBIDDEN;
		return retry(ErrorReport.of(ErrorCode.SIGN_IN_FAILED)
			.withStatus(status)
			.withText(explanation.title(), explanation.detail(), explanation.action())
			.withFact("error", "Error code", explanation.code())
			.withFact("fixedBy", "Who can fix this", explanation.actor().label())
			.withFact("correlationId", "Correlation ID", explanation.correlationId()));
	}

	private static ErrorReport retry(ErrorReport report) {
		return report.withLink("Sign in again", GatewayPaths.LOGIN);
	}

	/** Why a token or call failed, for operators: error descriptions and validation errors, never a token. */
	private static String reason(OAuth2AuthenticationException failure) {
		String description = failure.getError().getDescription();
		StringBuilder reason = new StringBuilder(failure.getError().getErrorCode());
		if (description != null) {
			reason.append(": ").append(description);
		}
		for (Throwable cause = failure.getCause(); cause != null; cause = cause.getCause()) {
			if (cause instanceof JwtValidationException invalid) {
				invalid.getErrors().forEach(e -> reason.append("; ").append(e.getErrorCode()).append(": ").append(e.getDescription()));
			}
			else {
				reason.append("; ").append(cause.getClass().getSimpleName()).append(": ").append(cause.getMessage());
			}
		}
		return reason.toString();
	}

}
