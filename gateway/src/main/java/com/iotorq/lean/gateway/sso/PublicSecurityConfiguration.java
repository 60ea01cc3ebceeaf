package com.iotorq.lean.gateway.sso;

import java.time.Clock;

import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.reactive.EnableWebFluxSecurity;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.oauth2.client.endpoint.OAuth2AuthorizationCodeGrantRequest;
import org.springframework.security.oauth2.client.endpoint.ReactiveOAuth2AccessTokenResponseClient;
import org.springframework.security.oauth2.client.endpoint.WebClientReactiveAuthorizationCodeTokenResponseClient;
import org.springframework.security.oauth2.client.oidc.authentication.OidcAuthorizationCodeReactiveAuthenticationManager;
import org.springframework.security.oauth2.client.oidc.web.server.logout.OidcClientInitiatedServerLogoutSuccessHandler;
import org.springframework.security.oauth2.client.web.server.ServerOAuth2AuthorizedClientRepository;
import org.springframework.security.oauth2.core.OAuth2AuthorizationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.WebFilterChainProxy;
import org.springframework.security.web.server.authentication.logout.DelegatingServerLogoutHandler;
import org.springframework.security.web.server.authentication.logout.RedirectServerLogoutSuccessHandler;
import org.springframework.security.web.server.authentication.logout.ServerLogoutSuccessHandler;
import org.springframework.security.web.server.authentication.logout.SecurityContextServerLogoutHandler;
import org.springframework.security.web.server.authentication.logout.WebSessionServerLogoutHandler;
import org.springframework.security.web.server.header.XFrameOptionsServerHttpHeadersWriter;
import org.springframework.security.web.server.savedrequest.NoOpServerRequestCache;
import org.springframework.security.web.server.util.matcher.PathPatternParserServerWebExchangeMatcher;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatcher;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatchers;
import org.springframework.web.server.session.WebSessionIdResolver;

import com.iotorq.lean.gateway.account.AccountChanges;
import com.iotorq.lean.gateway.account.AccountRepository;
import com.iotorq.lean.gateway.account.AccountSignIn;
import com.iotorq.lean.gateway.observability.RequestRefusals;
import com.iotorq.lean.gateway.observability.SignInMetrics;
import com.iotorq.lean.gateway.sso.login.SignInFailures;
import com.iotorq.lean.gateway.ratelimit.RequestRateLimiter;
import com.iotorq.lean.gateway.activation.AccountActivation;
import com.iotorq.lean.gateway.activation.AccountPagesFilter;
import com.iotorq.lean.gateway.activation.PendingActivationFailureHandler;
import com.iotorq.lean.gateway.config.BenchAblation;
import com.iotorq.lean.gateway.audit.SignInEventRepository;
import com.iotorq.lean.gateway.credentials.ClientAssertions;
import com.iotorq.lean.gateway.credentials.SigningCertificates;
import com.iotorq.lean.gateway.secrets.SecretCipher;
import com.iotorq.lean.gateway.session.SessionProperties;
import com.iotorq.lean.gateway.setup.SetupPagesFilter;
import com.iotorq.lean.gateway.tenant.TenantDirectory;
import com.iotorq.lean.gateway.web.GatewayPaths;
import com.iotorq.lean.gateway.web.ManagementRequests;

/**
 * Security of the public port: sign-in through each organisation's own identity provider
 * (Spring Security's OAuth2 login, with the organisation chosen by host), sessions bound to
 * that organisation, and sign-out at the provider too.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebFluxSecurity
class PublicSecurityConfiguration {

	/** Spring Security's chains run on the management port for the admin API only. */
	private static final ServerWebExchangeMatcher PUBLIC_PORT = exchange -> ManagementRequests.isManagement(exchange)
			? ServerWebExchangeMatcher.MatchResult.notMatch() : ServerWebExchangeMatcher.MatchResult.match();

	@Bean
	IdpHttp idpHttp(SsoProperties properties, CircuitBreakerRegistry breakers) {
		return new IdpHttp(properties, breakers);
	}

	@Bean
	OidcMetadata oidcMetadata(IdpHttp http, SsoProperties properties) {
		return new OidcMetadata(http, properties);
	}

	@Bean
	TenantClientRegistrations tenantClientRegistrations(TenantDirectory directory, IdentityProviders providers,
			OidcMetadata metadata, SecretCipher cipher, IdpHttp http, SigningCertificates certificates,
			ClientAssertions assertions) {
		return new TenantClientRegistrations(directory, providers, metadata, cipher, http, certificates, assertions);
	}

	@Bean
	IdTokenDecoders idTokenDecoders(TenantDirectory directory, IdentityProviders providers, IdpHttp http,
			SsoProperties properties, JwksProperties jwks, Clock clock) {
		return new IdTokenDecoders(directory, providers, new JwkSets(http, jwks, properties.jwksRefreshInterval(), clock),
				properties.clockSkew());
	}

	/** The gateway keeps no IdP tokens beyond the ID token in the session; nothing relays them. */
	@Bean
	ServerOAuth2AuthorizedClientRepository authorizedClientRepository() {
		return new DiscardingAuthorizedClientRepository();
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
	CrossSiteRequestGuard crossSiteRequestGuard() {
		return new CrossSiteRequestGuard();
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

	/** The chooser's password-login page; its {@code /oauth/choose} runs among the endpoints. */
	@Bean
	SignInChooser signInChooser(SignInChooserProperties properties) {
		return new SignInChooser(properties);
	}

	/**
	 * The gateway's own endpoints with Spring Security's public chain: none of these is a web filter
	 * of its own, so a request for a backend never meets them.
	 */
	@Bean
	GatewayEndpoints gatewayEndpoints(@Qualifier("publicSecurity") SecurityWebFilterChain publicSecurity,
			SignInRequestLimits signInLimits, IdentityProviders providers, Clock clock, SignInChooser chooser,
			AccountActivation activation, SetupPagesFilter setup) {
		WebFilterChainProxy signInChain = new WebFilterChainProxy(publicSecurity);
		// the firewall's refusals get the gateway's own 400
		signInChain.setExchangeRejectedHandler(new FirewallRejections());
		return new GatewayEndpoints(new AccountPagesFilter(activation), signInLimits::filter,
				new SignInPagesFilter(new AdminConsentFlow(providers, clock)), signInChain, chooser::filter, setup::filter,
				(exchange, chain) -> setup.callback(exchange)
					.flatMap(answered -> answered ? Mono.<Void>empty() : chain.filter(exchange)));
	}

	@Bean
	@Order(2)
	SecurityWebFilterChain publicSecurity(ServerHttpSecurity http, TenantClientRegistrations registrations,
			IdTokenDecoders decoders, IdpHttp idpHttp, TenantDirectory directory, IdentityProviders providers,
			AccountSignIn accounts, SsoProperties sso, Clock clock,
			ServerOAuth2AuthorizedClientRepository authorizedClients, SignInEventRepository signInEvents,
			AccountActivation activation, SignInMetrics metrics, RequestScopedSecurityContexts contexts,
			SignInRequestLimits signInLimits, TenantAccessPolicy accessPolicy, ClientAssertions assertions) {
		var failures = new SignInFailures(providers);
		var audit = new SignInAuditing(signInEvents, providers, failures);
		var signIns = new PendingSignIns();
		var authentication = new OidcAuthorizationCodeReactiveAuthenticationManager(tokenClient(idpHttp, assertions),
				new AccountOidcUserService(directory, providers, accounts, clock));
		authentication.setJwtDecoderFactory(decoders);
		var providerLogout = new OidcClientInitiatedServerLogoutSuccessHandler(registrations);
		providerLogout.setPostLogoutRedirectUri("{baseUrl}/");
		providerLogout.setLogoutSuccessUrl(java.net.URI.create("/"));
		var localLogout = new RedirectServerLogoutSuccessHandler();
		localLogout.setLogoutSuccessUrl(java.net.URI.create("/"));
		// the session has ended either way; an unreachable provider must not turn that into an error page
		ServerLogoutSuccessHandler logoutSuccess = (exchange, signedOut) -> providerLogout
			.onLogoutSuccess(exchange, signedOut)
			.onErrorResume(ex -> localLogout.onLogoutSuccess(exchange, signedOut));
		String[] publicPaths = sso.publicPaths().toArray(String[]::new);
		return http.securityMatcher(PUBLIC_PORT)
			.authorizeExchange(exchanges -> {
				// only with the methods the gateway answers them with (SignInEndpointMethods refuses the
				// others first); any other method would otherwise reach the backend without a session
				GatewayPaths.SIGN_IN_ENDPOINTS.forEach((path, methods) -> methods
					.forEach(method -> exchanges.pathMatchers(method, path).permitAll()));
				exchanges.pathMatchers(publicPaths)
					.permitAll()
					// answered by AccountPagesFilter, never by this chain; listed so they never need a session
					.pathMatchers(GatewayPaths.ACCOUNT_ALL)
					.permitAll()
					.anyExchange()
					.access(accessPolicy);
			})
			.oauth2Login(login -> login.clientRegistrationRepository(registrations)
				.authorizedClientRepository(authorizedClients)
				.authorizationRequestResolver(new TenantAuthorizationRequestResolver(registrations))
				.authorizationRequestRepository(signIns)
				.authenticationMatcher(ServerWebExchangeMatchers.pathMatchers(HttpMethod.GET, GatewayPaths.CALLBACK,
						GatewayPaths.CALLBACK_WITHOUT_SLASH))
				.authenticationManager(authentication)
				.securityContextRepository(contexts)
				.authenticationSuccessHandler(audit.success(signInLimits.givingBackTheStart(new SignInSuccessHandler(metrics))))
				.authenticationFailureHandler(audit.failure(new PendingActivationFailureHandler(activation,
						new SignInFailureHandler(failures, new SignInErrors(), metrics)))))
			.securityContextRepository(contexts)
			.requestCache(cache -> cache.requestCache(NoOpServerRequestCache.getInstance()))
			.exceptionHandling(handling -> handling.authenticationEntryPoint(new SignInEntryPoint()))
			.logout(logout -> logout
				.requiresLogout(new PathPatternParserServerWebExchangeMatcher(GatewayPaths.LOGOUT, HttpMethod.POST))
				.logoutHandler(new DelegatingServerLogoutHandler(new SecurityContextServerLogoutHandler(),
						new WebSessionServerLogoutHandler()))
				.logoutSuccessHandler(logoutSuccess))
			// the gateway's own endpoints are guarded against cross-site requests by CrossSiteRequestGuard
			.csrf(csrf -> csrf.disable())
			.httpBasic(basic -> basic.disable())
			.formLogin(form -> form.disable())
			// backends decide how their responses are cached and framed; the gateway's pages set their own
			.headers(headers -> headers.cache(cache -> cache.disable())
				.frameOptions(frame -> frame.mode(XFrameOptionsServerHttpHeadersWriter.Mode.SAMEORIGIN)))
			.build();
	}

	/**
	 * The token endpoint client, on the bounded IdP HTTP client; a provider that does not answer
	 * becomes a sign-in error with its own page.
	 */
	private static ReactiveOAuth2AccessTokenResponseClient<OAuth2AuthorizationCodeGrantRequest> tokenClient(IdpHttp http,
			ClientAssertions assertions) {
		var client = new WebClientReactiveAuthorizationCodeTokenResponseClient();
		client.setWebClient(http.webClient());
		// private_key_jwt registrations (certificate credentials) get client_assertion_type and client_assertion
		client.addParametersConverter(assertions::parameters);
		return request -> http
			.call(request.getClientRegistration().getProviderDetails().getIssuerUri(), client.getTokenResponse(request))
			.onErrorMap(ex -> !(ex instanceof OAuth2AuthorizationException),
					ex -> new OAuth2AuthorizationException(new OAuth2Error(SignInErrors.IDP_UNAVAILABLE,
							"The identity provider's token endpoint did not answer: " + ex.getClass().getSimpleName(), null),
							ex));
	}


}
