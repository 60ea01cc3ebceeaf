package com.iotorq.lean.gateway.sso.login;

import org.springframework.http.HttpMethod;
import org.springframework.security.authentication.ReactiveAuthenticationManager;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.oauth2.client.web.server.ServerOAuth2AuthorizedClientRepository;
import org.springframework.security.web.server.authentication.ServerAuthenticationFailureHandler;
import org.springframework.security.web.server.authentication.ServerAuthenticationSuccessHandler;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatchers;

import com.iotorq.lean.gateway.sso.oidc.PendingSignIns;
import com.iotorq.lean.gateway.sso.oidc.TenantAuthorizationRequestResolver;
import com.iotorq.lean.gateway.sso.oidc.TenantClientRegistrations;
import com.iotorq.lean.gateway.web.GatewayPaths;

/**
 * The strategies the gateway plugs into Spring Security's OAuth2 login: each
 * organisation's registration, the start of sign-in, the ID token check and account
 * lookup, the session's security context, and what a person sees after success or
 * failure.
 */
public final class OidcLogin {

	private final TenantClientRegistrations registrations;

	private final ServerOAuth2AuthorizedClientRepository authorizedClients;

	private final ReactiveAuthenticationManager authentication;

	private final RequestScopedSecurityContexts contexts;

	private final ServerAuthenticationSuccessHandler success;

	private final ServerAuthenticationFailureHandler failure;

	OidcLogin(TenantClientRegistrations registrations, ServerOAuth2AuthorizedClientRepository authorizedClients,
			ReactiveAuthenticationManager authentication, RequestScopedSecurityContexts contexts,
			ServerAuthenticationSuccessHandler success, ServerAuthenticationFailureHandler failure) {
		this.registrations = registrations;
		this.authorizedClients = authorizedClients;
		this.authentication = authentication;
		this.contexts = contexts;
		this.success = success;
		this.failure = failure;
	}

	/** Sets up {@code http.oauth2Login(...)}. */
	public void configure(ServerHttpSecurity.OAuth2LoginSpec login) {
		login.clientRegistrationRepository(this.registrations)
			.authorizedClientRepository(this.authorizedClients)
			.authorizationRequestResolver(new TenantAuthorizationRequestResolver(this.registrations))
			.authorizationRequestRepository(new PendingSignIns())
			.authenticationMatcher(ServerWebExchangeMatchers.pathMatchers(HttpMethod.GET, GatewayPaths.CALLBACK,
					GatewayPaths.CALLBACK_WITHOUT_SLASH))
			.authenticationManager(this.authentication)
			.securityContextRepository(this.contexts)
			.authenticationSuccessHandler(this.success)
			.authenticationFailureHandler(this.failure);
	}

}
