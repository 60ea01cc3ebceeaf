package com.iotorq.lean.gateway.sso;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.jwt.JwtValidationException;
import org.springframework.security.web.server.WebFilterExchange;
import org.springframework.security.web.server.authentication.ServerAuthenticationFailureHandler;
import org.springframework.security.web.server.authentication.ServerAuthenticationSuccessHandler;

import com.iotorq.lean.gateway.account.LeanUser;
import com.iotorq.lean.gateway.account.SignInRefusedException;
import com.iotorq.lean.gateway.audit.SignInEvent;
import com.iotorq.lean.gateway.audit.SignInEventRepository;
import com.iotorq.lean.gateway.tenant.Tenant;
import com.iotorq.lean.gateway.tenant.TenantAttributes;
import com.iotorq.lean.gateway.observability.RequestLogContext;

/**
 * Records every completed sign-in attempt in the sign-in audit: success, or the precise reason
 * it failed (which ID token check, which provider error code, no account, disabled, pending, not
 * in an allowed group), with the account and the provider's correlation id when known. Never a
 * token: only identifiers. An audit that cannot be written is logged and does not change the
 * person's outcome.
 */
public final class SignInAuditing {

	private static final Logger logger = LoggerFactory.getLogger(SignInAuditing.class);

	private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(3);

	/** Anything shaped like a JWT, removed from texts before they are stored. */
	private static final Pattern JWT = Pattern.compile("eyJ[A-Za-z0-9_-]*\\.[A-Za-z0-9_-]*(\\.[A-Za-z0-9_-]*)?");

	private static final Pattern CLAIM_NAMES = Pattern.compile("[{,]\\s*([a-z_]{2,20})=");

	private final SignInEventRepository events;

	private final IdentityProviders providers;

	public SignInAuditing(SignInEventRepository events, IdentityProviders providers) {
		this.events = events;
		this.providers = providers;
	}

	public ServerAuthenticationSuccessHandler success(ServerAuthenticationSuccessHandler next) {
		return (exchange, authentication) -> record(exchange, succeeded(tenant(exchange), authentication))
			.then(next.onAuthenticationSuccess(exchange, authentication));
	}

	public ServerAuthenticationFailureHandler failure(ServerAuthenticationFailureHandler next) {
		return (exchange, failure) -> record(exchange, failed(tenant(exchange), failure))
			.then(next.onAuthenticationFailure(exchange, failure));
	}

	private Mono<Void> record(WebFilterExchange exchange, SignInEvent event) {
		Tenant tenant = tenant(exchange);
		if (tenant == null) {
			return Mono.empty();
		}
		return this.events.record(tenant.id(), event)
			.timeout(WRITE_TIMEOUT)
			.onErrorResume(ex -> RequestLogContext.log(() -> logger.warn("Could not record a sign-in attempt of {} ({}): {}",
					tenant.slug(), event.reason(), ex.toString())));
	}

	private SignInEvent succeeded(@Nullable Tenant tenant, Authentication authentication) {
		if (!(authentication.getPrincipal() instanceof LeanUser user)) {
			return event(true, SignInEvent.SIGNED_IN, null, null, null, null, null, null, null);
		}
		String tokenId = (tenant != null && tenant.hasSso())
				? this.providers.find(tenant.requiredSso().provider()).flatMap(provider -> provider.tokenId(user)).orElse(null)
				: null;
		return event(true, SignInEvent.SIGNED_IN, null, null, user.accountId(), user.email(), user.idpObjectId(), null,
				tokenId);
	}

	SignInEvent failed(@Nullable Tenant tenant, AuthenticationException failure) {
		if (failure instanceof SignInRefusedException refused) {
			String reason = switch (refused.reason()) {
				case ACCOUNT_NOT_FOUND -> "no_account";
				case ACCOUNT_DISABLED -> "account_disabled";
				case ACCOUNT_PENDING -> "account_pending";
				case NOT_IN_ALLOWED_GROUP -> "not_in_group";
				case GROUP_MEMBERSHIP_UNKNOWN -> "group_membership_unknown";
				default -> refused.reason().code().replace('-', '_');
			};
			return event(false, reason, refused.detail(), null, refused.accountId(), refused.email(), null, null, null);
		}
		if (!(failure instanceof OAuth2AuthenticationException oauth)) {
			return event(false, "sign_in_failed", failure.getClass().getSimpleName(), null, null, null, null, null, null);
		}
		OAuth2Error error = oauth.getError();
		return switch (error.getErrorCode()) {
			case "authorization_request_not_found", "invalid_state_parameter", "invalid_redirect_uri_parameter" -> event(false,
					"callback_invalid", error.getErrorCode(), null, null, null, null, null, null);
			case "invalid_id_token", "invalid_nonce", "invalid_tenant" -> event(false, "id_token_rejected",
					idTokenCheck(oauth), null, null, null, null, null, null);
			case SignInErrors.IDP_UNAVAILABLE -> event(false, "idp_unavailable", sanitize(error.getDescription()), null, null,
					null, null, null, null);
			case "sso_not_enabled", "client_registration_not_found" -> event(false, "sso_not_enabled", null, null, null,
					null, null, null, null);
			default -> providerError(tenant, error);
		};
	}

	private SignInEvent providerError(@Nullable Tenant tenant, OAuth2Error error) {
		String code = sanitize(error.getErrorCode());
		var explained = (tenant != null && tenant.hasSso())
				? this.providers.find(tenant.requiredSso().provider()).flatMap(p -> p.explain(error.getErrorCode(), error.getDescription()))
				: java.util.Optional.<ProviderError>empty();
		return explained
			.map(e -> event(false, "idp_error", code + ": " + e.title(), e.code(), null, null, null, e.correlationId(), null))
			.orElseGet(() -> event(false, "idp_error", code, code, null, null, null, null, null));
	}

	/** Which ID token check failed, e.g. {@code iss}, {@code aud}, {@code tid}, {@code exp}, {@code nonce}, {@code signature}. */
	static String idTokenCheck(OAuth2AuthenticationException failure) {
		Set<String> checks = new LinkedHashSet<>();
		StringBuilder text = new StringBuilder(failure.getError().getErrorCode()).append(' ')
			.append(String.valueOf(failure.getError().getDescription()));
		for (Throwable cause = failure.getCause(); cause != null; cause = cause.getCause()) {
			text.append(' ').append(cause.getMessage());
			if (cause instanceof JwtValidationException invalid) {
				invalid.getErrors().forEach(e -> text.append(' ').append(e.getErrorCode()).append(' ').append(e.getDescription()));
			}
		}
		String all = text.toString();
		String lower = all.toLowerCase(Locale.ROOT);
		int claims = lower.indexOf("invalid claims:");
		if (claims >= 0) {
			Matcher names = CLAIM_NAMES.matcher(lower.substring(claims));
			while (names.find()) {
				checks.add(names.group(1));
			}
		}
		if (lower.contains("invalid_nonce")) {
			checks.add("nonce");
		}
		if (lower.contains("invalid_tenant") || lower.contains("tid claim")) {
			checks.add("tid");
		}
		if (lower.contains("no oid claim")) {
			checks.add("oid");
		}
		if (lower.contains("jwt expired")) {
			checks.add("exp");
		}
		if (lower.contains("used before")) {
			checks.add("nbf");
		}
		if (lower.contains("invalid signature")) {
			checks.add("signature");
		}
		if (lower.contains("no matching key")) {
			checks.add("signing key");
		}
		if (lower.contains("unsecured") || lower.contains("algorithm")) {
			checks.add("alg");
		}
		String found = checks.isEmpty() ? "unknown" : String.join(", ", checks);
		return found + " (" + sanitize(all) + ")";
	}

	private static @Nullable String sanitize(@Nullable String text) {
		return (text == null) ? null : JWT.matcher(text).replaceAll("[token]").replaceAll("[\\r\\n]+", " ");
	}

	private static SignInEvent event(boolean success, String reason, @Nullable String detail, @Nullable String errorCode,
			java.util.@Nullable UUID accountId, @Nullable String email, @Nullable String objectId,
			@Nullable String correlationId, @Nullable String tokenId) {
		return new SignInEvent(null, success, reason, sanitize(detail), errorCode, accountId, email, objectId,
				correlationId, tokenId);
	}

	private static @Nullable Tenant tenant(WebFilterExchange exchange) {
		return TenantAttributes.tenant(exchange.getExchange()).orElse(null);
	}

}
