package com.iotorq.lean.gateway.sso.login;

import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;

import com.iotorq.lean.gateway.account.SignInRefusedException;
import com.iotorq.lean.gateway.observability.RequestLogContext;
import com.iotorq.lean.gateway.sso.provider.GroupClaims;
import com.iotorq.lean.gateway.sso.provider.IdentityProvider;
import com.iotorq.lean.gateway.sso.provider.IdentityProviders;
import com.iotorq.lean.gateway.sso.provider.ProviderError;
import com.iotorq.lean.gateway.tenant.SsoSettings;
import com.iotorq.lean.gateway.tenant.Tenant;
import com.iotorq.lean.gateway.web.ErrorCode;
import com.iotorq.lean.gateway.web.ErrorReport;

/**
 * The organisation's group allow-list, enforced at the gateway as well as by the
 * provider's own assignment: when {@code allowedGroups} is set, the ID token's groups
 * must include one of them. Fails closed: a token whose groups are unknown (overage, or
 * no groups claim) is refused.
 */
public final class AllowedGroups {

	private static final Logger logger = LoggerFactory.getLogger(AllowedGroups.class);

	private final IdentityProviders providers;

	public AllowedGroups(IdentityProviders providers) {
		this.providers = providers;
	}

	/**
	 * @param email the person's email, for the audit of a refusal
	 * @return empty when the person may pass, else {@link SignInRefusedException}
	 */
	public Mono<Void> check(Tenant tenant, OidcUser user, @Nullable String email) {
		SsoSettings sso = tenant.sso();
		if (sso == null || sso.allowedGroups().isEmpty()) {
			return Mono.empty();
		}
		IdentityProvider provider = this.providers.get(sso.provider());
		GroupClaims claims = provider.groups(user, sso);
		if (claims.kind() == GroupClaims.Kind.LISTED && intersects(claims.groupIds(), sso.allowedGroups())) {
			return Mono.empty();
		}
		ProviderError explained = provider.explainGroupRefusal(claims);
		ErrorCode code = (claims.kind() == GroupClaims.Kind.LISTED) ? ErrorCode.NOT_IN_ALLOWED_GROUP
				: ErrorCode.GROUP_MEMBERSHIP_UNKNOWN;
		String detail = switch (claims.kind()) {
			case LISTED -> "none of the token's " + claims.groupIds().size() + " groups is allowed";
			case OVERAGE -> "group overage: the token names a groups source instead of listing groups";
			case ABSENT -> "the token has no groups claim";
		};
		ErrorReport report = ErrorReport.of(code)
			.withStatus(HttpStatus.FORBIDDEN)
			.withText(explained.title(), explained.detail(), explained.action())
			.withFact("fixedBy", "Who can fix this", explained.actor().label());
		return RequestLogContext
			.log(() -> logger.info("Sign-in to {} refused by the group allow-list: {}", tenant.slug(), detail))
			.then(Mono.error(new SignInRefusedException(code, null, email, detail, report)));
	}

	private static boolean intersects(Set<String> groups, java.util.List<String> allowed) {
		Set<String> wanted = allowed.stream().map(id -> id.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
		return groups.stream().anyMatch(id -> wanted.contains(id.toLowerCase(Locale.ROOT)));
	}

}
