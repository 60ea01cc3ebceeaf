package com.iotorq.lean.gateway.sso.login;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.jwt.JwtValidationException;
import org.springframework.security.web.server.WebFilterExchange;

import com.iotorq.lean.gateway.sso.provider.IdTokenChecks;
import com.iotorq.lean.gateway.sso.oidc.IdpHttp;
import com.iotorq.lean.gateway.account.SignInRefusedException;
import com.iotorq.lean.gateway.audit.SignInEvent;
import com.iotorq.lean.gateway.sso.provider.IdentityProviders;
import com.iotorq.lean.gateway.sso.provider.ProviderError;
import com.iotorq.lean.gateway.tenant.SsoSettings;
import com.iotorq.lean.gateway.tenant.Tenant;
import com.iotorq.lean.gateway.tenant.TenantAttributes;

/**
 * Works out what went wrong in a sign-in from the exception Spring Security hands the
 * failure handler: by the exception's type and by error codes (Spring Security's
 * documented ones, the providers' OAuth error codes and the ID token checks' own
 * {@code invalid_id_token.<check>}), never by message text, which a library upgrade may
 * change.
 * <p>
 * The audit, the page and the metrics each ask for the failure of the exchange they
 * handle; it is classified on the first ask and kept with the exchange.
 */
public final class SignInFailures {

	private static final String ATTRIBUTE = SignInFailures.class.getName() + ".failure";

	/**
	 * An OAuth error code as shown on pages; anything else is the provider's untrusted
	 * text.
	 */
	private static final Pattern SAFE_CODE = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

	private final IdentityProviders providers;

	public SignInFailures(IdentityProviders providers) {
		this.providers = providers;
	}

	/** The failure of the sign-in this exchange completed, classified once. */
	public SignInFailure classify(WebFilterExchange exchange, AuthenticationException exception) {
		var attributes = exchange.getExchange().getAttributes();
		if (attributes.get(ATTRIBUTE) instanceof Classified classified && classified.exception() == exception) {
			return classified.failure();
		}
		Tenant tenant = TenantAttributes.tenant(exchange.getExchange()).orElse(null);
		SignInFailure failure = classify(tenant, exception);
		attributes.put(ATTRIBUTE, new Classified(exception, failure));
		return failure;
	}

	/**
	 * @param tenant the organisation signing in, whose identity provider explains its own
	 * errors
	 * @param exception why the sign-in failed
	 */
	public SignInFailure classify(@Nullable Tenant tenant, Throwable exception) {
		if (exception instanceof SignInRefusedException refused) {
			return new SignInFailure.Refused(refused);
		}
		if (!(exception instanceof OAuth2AuthenticationException oauth)) {
			return new SignInFailure.Unexpected(exception.getClass().getSimpleName(), exception.getMessage());
		}
		OAuth2Error error = oauth.getError();
		return switch (error.getErrorCode()) {
			// Spring Security's: no sign-in saved for the state, or a state or redirect
			// URI not its own
			case "authorization_request_not_found", "invalid_state_parameter", "invalid_redirect_uri_parameter" ->
				new SignInFailure.CallbackInvalid(error.getErrorCode());
			// Spring Security's: the decoder's, or the authentication manager's nonce
			// check
			case IdTokenChecks.INVALID_ID_TOKEN, "invalid_nonce" ->
				new SignInFailure.IdTokenRejected(checks(oauth), explanation(oauth));
			case IdpHttp.IDP_UNAVAILABLE -> new SignInFailure.ProviderUnreachable(
					(error.getDescription() != null) ? SignInEvent.withoutTokens(error.getDescription()) : null,
					explanation(oauth));
			case "sso_not_enabled", "client_registration_not_found" -> new SignInFailure.SsoNotEnabled();
			default -> providerError(tenant, error);
		};
	}

	private SignInFailure providerError(@Nullable Tenant tenant, OAuth2Error error) {
		String code = SAFE_CODE.matcher(error.getErrorCode()).matches() ? error.getErrorCode() : "invalid_error";
		SsoSettings sso = (tenant != null) ? tenant.sso() : null;
		Optional<ProviderError> explained = (sso != null)
				? this.providers.find(sso.provider())
					.flatMap(provider -> provider.explain(error.getErrorCode(), error.getDescription()))
				: Optional.empty();
		return new SignInFailure.ProviderFailed(code, explained.orElse(null));
	}

	/**
	 * The checks the ID token failed, in the order they were made: the nonce by its error
	 * code, the rest by the claim-specific codes of the decoder's and the providers'
	 * checks.
	 */
	static List<String> checks(OAuth2AuthenticationException failure) {
		Set<String> checks = new LinkedHashSet<>();
		if (failure.getError().getErrorCode().equals("invalid_nonce")) {
			checks.add("nonce");
		}
		addCheck(checks, failure.getError());
		for (Throwable cause = failure.getCause(); cause != null; cause = cause.getCause()) {
			if (cause instanceof JwtValidationException invalid) {
				invalid.getErrors().forEach(error -> addCheck(checks, error));
			}
		}
		return List.copyOf(checks);
	}

	private static void addCheck(Set<String> checks, OAuth2Error error) {
		String check = IdTokenChecks.checkOf(error);
		if (check != null && SAFE_CODE.matcher(check).matches()) {
			checks.add(check);
		}
	}

	/**
	 * The error and its causes as reported, for operators: descriptions and validation
	 * errors, never a token.
	 */
	static String explanation(OAuth2AuthenticationException failure) {
		StringBuilder text = new StringBuilder(failure.getError().getErrorCode());
		String description = failure.getError().getDescription();
		if (description != null) {
			text.append(": ").append(description);
		}
		for (Throwable cause = failure.getCause(); cause != null; cause = cause.getCause()) {
			if (cause instanceof JwtValidationException invalid) {
				invalid.getErrors()
					.forEach(e -> text.append("; ").append(e.getErrorCode()).append(": ").append(e.getDescription()));
			}
			else {
				text.append("; ").append(cause.getClass().getSimpleName()).append(": ").append(cause.getMessage());
			}
		}
		return SignInEvent.withoutTokens(text.toString());
	}

	private record Classified(AuthenticationException exception, SignInFailure failure) {
	}

}
