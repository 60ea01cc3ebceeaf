package com.iotorq.lean.gateway.sso.login;

import java.time.Clock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;

import org.springframework.security.oauth2.client.oidc.userinfo.OidcReactiveOAuth2UserService;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserRequest;
import org.springframework.security.oauth2.client.userinfo.ReactiveOAuth2UserService;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;

import com.iotorq.lean.gateway.account.AccountSignIn;
import com.iotorq.lean.gateway.account.LeanUser;
import com.iotorq.lean.gateway.account.SignInIdentity;
import com.iotorq.lean.gateway.account.SignInRefusedException;
import com.iotorq.lean.gateway.observability.RequestLogContext;
import com.iotorq.lean.gateway.sso.provider.IdentityProvider;
import com.iotorq.lean.gateway.sso.provider.IdentityProviders;
import com.iotorq.lean.gateway.tenant.Tenant;
import com.iotorq.lean.gateway.tenant.TenantDirectory;
import com.iotorq.lean.gateway.web.ErrorCode;
import com.iotorq.lean.gateway.web.ErrorReport;

/**
 * Turns a validated ID token into a signed-in {@link LeanUser}: the person's identity
 * comes from the token alone (Entra's UserInfo lacks the claims that matter), then their
 * LEAN account is found, linked or refused.
 */
public final class AccountOidcUserService implements ReactiveOAuth2UserService<OidcUserRequest, OidcUser> {

	private static final Logger logger = LoggerFactory.getLogger(AccountOidcUserService.class);

	private final OidcReactiveOAuth2UserService idTokenOnly = new OidcReactiveOAuth2UserService();

	private final TenantDirectory directory;

	private final IdentityProviders providers;

	private final AccountSignIn accounts;

	private final Clock clock;

	private final AllowedGroups groups;

	public AccountOidcUserService(TenantDirectory directory, IdentityProviders providers, AccountSignIn accounts,
			Clock clock) {
		this.directory = directory;
		this.providers = providers;
		this.accounts = accounts;
		this.clock = clock;
		this.groups = new AllowedGroups(providers);
		this.idTokenOnly.setRetrieveUserInfo(request -> false);
	}

	/**
	 * The provider's own reasons to keep someone out, e.g. an email domain that is not
	 * allowed.
	 */
	private static Mono<Void> refusal(Tenant tenant, IdentityProvider provider, OidcUser user,
			SignInIdentity identity) {
		return provider.refusal(user, tenant.requiredSso()).map(explained -> {
			ErrorReport report = ErrorReport.of(ErrorCode.EMAIL_DOMAIN_NOT_ALLOWED)
				.withStatus(HttpStatus.FORBIDDEN)
				.withText(explained.title(), explained.detail(), explained.action())
				.withFact("fixedBy", "Who can fix this", explained.actor().label());
			return RequestLogContext
				.log(() -> logger.info("Sign-in to {} refused: {}", tenant.slug(), explained.code()))
				.then(Mono.<Void>error(new SignInRefusedException(ErrorCode.EMAIL_DOMAIN_NOT_ALLOWED, null,
						identity.email(), explained.code(), report)));
		}).orElse(Mono.empty());
	}

	@Override
	public Mono<OidcUser> loadUser(OidcUserRequest request) {
		String slug = request.getClientRegistration().getRegistrationId();
		return this.idTokenOnly.loadUser(request)
			.zipWith(this.directory.find(slug)
				.filter(tenant -> tenant.hasSso())
				.switchIfEmpty(Mono.error(() -> new OAuth2AuthenticationException(
						new OAuth2Error("sso_not_enabled", "The organisation no longer uses single sign-on", null)))))
			.flatMap(loaded -> {
				OidcUser user = loaded.getT1();
				var tenant = loaded.getT2();
				IdentityProvider provider = this.providers.get(tenant.requiredSso().provider());
				SignInIdentity identity = provider.identity(user, tenant.requiredSso());
				// the allow-lists first: nobody outside them gets an account, not even a
				// pending one
				return refusal(tenant, provider, user, identity).then(this.groups.check(tenant, user, identity.email()))
					.then(this.accounts.signIn(tenant, identity))
					.map(account -> new LeanUser(user.getIdToken(), account, tenant.slug(), tenant.id(),
							tenant.ssoSessionVersion(), identity.directoryId(), identity.objectId(),
							this.clock.instant()));
			});
	}

}
