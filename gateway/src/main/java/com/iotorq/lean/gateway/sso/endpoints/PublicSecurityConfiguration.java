package com.iotorq.lean.gateway.sso.endpoints;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.reactive.EnableWebFluxSecurity;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.oauth2.client.oidc.web.server.logout.OidcClientInitiatedServerLogoutSuccessHandler;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.authentication.logout.DelegatingServerLogoutHandler;
import org.springframework.security.web.server.authentication.logout.RedirectServerLogoutSuccessHandler;
import org.springframework.security.web.server.authentication.logout.SecurityContextServerLogoutHandler;
import org.springframework.security.web.server.authentication.logout.ServerLogoutSuccessHandler;
import org.springframework.security.web.server.authentication.logout.WebSessionServerLogoutHandler;
import org.springframework.security.web.server.context.ServerSecurityContextRepository;
import org.springframework.security.web.server.header.XFrameOptionsServerHttpHeadersWriter;
import org.springframework.security.web.server.savedrequest.NoOpServerRequestCache;
import org.springframework.security.web.server.util.matcher.PathPatternParserServerWebExchangeMatcher;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatcher;

import com.iotorq.lean.gateway.sso.SsoProperties;
import com.iotorq.lean.gateway.sso.login.OidcLogin;
import com.iotorq.lean.gateway.sso.login.SignInEntryPoint;
import com.iotorq.lean.gateway.sso.login.TenantAccessPolicy;
import com.iotorq.lean.gateway.sso.oidc.TenantClientRegistrations;
import com.iotorq.lean.gateway.web.GatewayPaths;
import com.iotorq.lean.gateway.web.ManagementRequests;

/**
 * Security of the public port: sign-in through each organisation's own identity provider
 * (Spring Security's OAuth2 login, with the organisation chosen by host), sessions bound
 * to that organisation, and sign-out at the provider too. Its parts are beans of their
 * own: {@code sso.oidc} (registrations, ID tokens), {@code sso.login} (the login
 * strategies, the session's security context, who may pass) and {@code sso.pages}.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebFluxSecurity
class PublicSecurityConfiguration {

	/** Spring Security's chains run on the management port for the admin API only. */
	private static final ServerWebExchangeMatcher PUBLIC_PORT = exchange -> ManagementRequests.isManagement(exchange)
			? ServerWebExchangeMatcher.MatchResult.notMatch() : ServerWebExchangeMatcher.MatchResult.match();

	@Bean
	CrossSiteRequestGuard crossSiteRequestGuard() {
		return new CrossSiteRequestGuard();
	}

	@Bean
	@Order(2)
	SecurityWebFilterChain publicSecurity(ServerHttpSecurity http, OidcLogin login,
			ServerSecurityContextRepository contexts, TenantAccessPolicy accessPolicy,
			TenantClientRegistrations registrations, SsoProperties sso) {
		String[] publicPaths = sso.publicPaths().toArray(String[]::new);
		return http.securityMatcher(PUBLIC_PORT).authorizeExchange(exchanges -> {
			// only with the methods the gateway answers them with (SignInEndpointMethods
			// refuses the
			// others first); any other method would otherwise reach the backend without a
			// session
			GatewayPaths.SIGN_IN_ENDPOINTS.forEach(
					(path, methods) -> methods.forEach(method -> exchanges.pathMatchers(method, path).permitAll()));
			exchanges.pathMatchers(publicPaths)
				.permitAll()
				// answered by AccountPagesFilter, never by this chain; listed so they
				// never need a session
				.pathMatchers(GatewayPaths.ACCOUNT_ALL)
				.permitAll()
				.anyExchange()
				.access(accessPolicy);
		})
			.oauth2Login(login::configure)
			.securityContextRepository(contexts)
			.requestCache(cache -> cache.requestCache(NoOpServerRequestCache.getInstance()))
			.exceptionHandling(handling -> handling.authenticationEntryPoint(new SignInEntryPoint()))
			.logout(logout -> logout
				.requiresLogout(new PathPatternParserServerWebExchangeMatcher(GatewayPaths.LOGOUT, HttpMethod.POST))
				.logoutHandler(new DelegatingServerLogoutHandler(new SecurityContextServerLogoutHandler(),
						new WebSessionServerLogoutHandler()))
				.logoutSuccessHandler(logoutSuccess(registrations)))
			// the gateway's own endpoints are guarded against cross-site requests by
			// CrossSiteRequestGuard
			.csrf(csrf -> csrf.disable())
			.httpBasic(basic -> basic.disable())
			.formLogin(form -> form.disable())
			// backends decide how their responses are cached and framed; the gateway's
			// pages set their own
			.headers(headers -> headers.cache(cache -> cache.disable())
				.frameOptions(frame -> frame.mode(XFrameOptionsServerHttpHeadersWriter.Mode.SAMEORIGIN)))
			.build();
	}

	/** Signs out at the provider too; the session has ended either way. */
	private static ServerLogoutSuccessHandler logoutSuccess(TenantClientRegistrations registrations) {
		var providerLogout = new OidcClientInitiatedServerLogoutSuccessHandler(registrations);
		providerLogout.setPostLogoutRedirectUri("{baseUrl}/");
		providerLogout.setLogoutSuccessUrl(java.net.URI.create("/"));
		var localLogout = new RedirectServerLogoutSuccessHandler();
		localLogout.setLogoutSuccessUrl(java.net.URI.create("/"));
		// an unreachable provider must not turn that into an error page
		return (exchange, signedOut) -> providerLogout.onLogoutSuccess(exchange, signedOut)
			.onErrorResume(ex -> localLogout.onLogoutSuccess(exchange, signedOut));
	}

}
