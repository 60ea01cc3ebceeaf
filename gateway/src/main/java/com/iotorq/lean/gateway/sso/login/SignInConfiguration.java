package com.iotorq.lean.gateway.sso.login;

import java.time.Clock;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.oauth2.client.endpoint.OAuth2AuthorizationCodeGrantRequest;
import org.springframework.security.oauth2.client.endpoint.ReactiveOAuth2AccessTokenResponseClient;
import org.springframework.security.oauth2.client.endpoint.WebClientReactiveAuthorizationCodeTokenResponseClient;
import org.springframework.security.oauth2.client.oidc.authentication.OidcAuthorizationCodeReactiveAuthenticationManager;
import org.springframework.security.oauth2.client.web.server.ServerOAuth2AuthorizedClientRepository;
import org.springframework.security.oauth2.core.OAuth2AuthorizationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.web.server.authentication.ServerAuthenticationFailureHandler;
import org.springframework.security.web.server.authentication.ServerAuthenticationSuccessHandler;
import org.springframework.web.server.session.WebSessionIdResolver;

import com.iotorq.lean.gateway.account.AccountChanges;
import com.iotorq.lean.gateway.account.AccountRepository;
import com.iotorq.lean.gateway.account.AccountSignIn;
import com.iotorq.lean.gateway.activation.AccountActivation;
import com.iotorq.lean.gateway.activation.PendingActivationFailureHandler;
import com.iotorq.lean.gateway.audit.SignInEventRepository;
import com.iotorq.lean.gateway.config.BenchAblation;
import com.iotorq.lean.gateway.credentials.ClientAssertions;
import com.iotorq.lean.gateway.observability.RequestRefusals;
import com.iotorq.lean.gateway.observability.SignInMetrics;
import com.iotorq.lean.gateway.ratelimit.RequestRateLimiter;
import com.iotorq.lean.gateway.session.SessionProperties;
import com.iotorq.lean.gateway.sso.SsoProperties;
import com.iotorq.lean.gateway.sso.oidc.IdTokenDecoders;
import com.iotorq.lean.gateway.sso.oidc.IdpHttp;
import com.iotorq.lean.gateway.sso.oidc.TenantClientRegistrations;
import com.iotorq.lean.gateway.sso.provider.IdentityProviders;
import com.iotorq.lean.gateway.tenant.TenantDirectory;

/**
 * Signing in and staying signed in: Spring Security's OAuth2 login with the gateway's
 * strategies, the session's signed-in person, the sign-in start limit and who may pass.
 */
@Configuration(proxyBeanMethods = false)
class SignInConfiguration {

	@Bean
	OidcLogin oidcLogin(TenantClientRegistrations registrations,
			ServerOAuth2AuthorizedClientRepository authorizedClients, IdTokenDecoders decoders, IdpHttp idpHttp,
			ClientAssertions assertions, AccountOidcUserService users, RequestScopedSecurityContexts contexts,
			ServerAuthenticationSuccessHandler signInSuccess, ServerAuthenticationFailureHandler signInFailure) {
		var authentication = new OidcAuthorizationCodeReactiveAuthenticationManager(tokenClient(idpHttp, assertions),
				users);
		authentication.setJwtDecoderFactory(decoders);
		return new OidcLogin(registrations, authorizedClients, authentication, contexts, signInSuccess, signInFailure);
	}

	/** Audited; sends the person on and gives the sign-in start back to its limit. */
	@Bean
	ServerAuthenticationSuccessHandler signInSuccess(SignInAuditing audit, SignInRequestLimits limits,
			SignInMetrics metrics) {
		return audit.success(limits.givingBackTheStart(new SignInSuccessHandler(metrics)));
	}

	/**
	 * Audited; a refusal while an account activation is pending is the activation's to
	 * answer, any other gets the error page.
	 */
	@Bean
	ServerAuthenticationFailureHandler signInFailure(SignInAuditing audit, AccountActivation activation,
			SignInFailures failures, SignInMetrics metrics) {
		return audit.failure(new PendingActivationFailureHandler(activation,
				new SignInFailureHandler(failures, new SignInErrors(), metrics)));
	}

	/**
	 * Works out once per failed sign-in what went wrong, for the page, the audit and the
	 * metrics.
	 */
	@Bean
	SignInFailures signInFailures(IdentityProviders providers) {
		return new SignInFailures(providers);
	}

	@Bean
	AccountOidcUserService accountOidcUserService(TenantDirectory directory, IdentityProviders providers,
			AccountSignIn accounts, Clock clock) {
		return new AccountOidcUserService(directory, providers, accounts, clock);
	}

	@Bean
	SignInAuditing signInAuditing(SignInEventRepository signInEvents, IdentityProviders providers,
			SignInFailures failures) {
		return new SignInAuditing(signInEvents, providers, failures);
	}

	@Bean
	AccountRecheck accountRecheck(AccountRepository accounts, AccountChanges changes, SessionProperties sessions,
			Clock clock) {
		return new AccountRecheck(accounts, changes, clock, sessions.accountRecheckInterval(),
				sessions.accountRecheckRetry(), sessions.accountRecheckTimeout());
	}

	/** Loads each request's signed-in person once; the rate limit asks it too. */
	@Bean
	RequestScopedSecurityContexts securityContexts(WebSessionIdResolver sessionIds, SessionProperties sessions,
			Clock clock, AccountRecheck recheck) {
		return new RequestScopedSecurityContexts(
				new TenantBoundSecurityContextRepository(sessionIds, sessions.absoluteTimeout(), clock, recheck));
	}

	@Bean
	SignInRequestLimits signInRequestLimits(SsoProperties properties, RequestRateLimiter limiter,
			RequestRefusals refusals) {
		return new SignInRequestLimits(limiter, properties.signInRateLimit(), refusals);
	}

	@Bean
	SignedInSessions signedInSessions(RequestScopedSecurityContexts contexts, WebSessionIdResolver sessionIds,
			BenchAblation ablation) {
		return new SignedInSessions(contexts, sessionIds, ablation);
	}

	@Bean
	TenantAccessPolicy tenantAccessPolicy(SsoProperties properties, BenchAblation ablation) {
		return new TenantAccessPolicy(properties.publicPaths(), ablation);
	}

	/**
	 * The token endpoint client, on the bounded IdP HTTP client; a provider that does not
	 * answer becomes a sign-in error with its own page.
	 */
	private static ReactiveOAuth2AccessTokenResponseClient<OAuth2AuthorizationCodeGrantRequest> tokenClient(
			IdpHttp http, ClientAssertions assertions) {
		var client = new WebClientReactiveAuthorizationCodeTokenResponseClient();
		client.setWebClient(http.webClient());
		// private_key_jwt registrations (certificate credentials) get
		// client_assertion_type and client_assertion
		client.addParametersConverter(assertions::parameters);
		return request -> http
			.call(request.getClientRegistration().getProviderDetails().getIssuerUri(), client.getTokenResponse(request))
			.onErrorMap(ex -> !(ex instanceof OAuth2AuthorizationException),
					ex -> new OAuth2AuthorizationException(new OAuth2Error(IdpHttp.IDP_UNAVAILABLE,
							"The identity provider's token endpoint did not answer: " + ex.getClass().getSimpleName(),
							null), ex));
	}

}
