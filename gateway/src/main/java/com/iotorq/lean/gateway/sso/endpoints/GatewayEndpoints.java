package com.iotorq.lean.gateway.sso.endpoints;

import java.util.List;

import reactor.core.publisher.Mono;

import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import org.springframework.web.server.handler.DefaultWebFilterChain;

import com.iotorq.lean.gateway.web.GatewayPaths;

/**
 * The gateway's own endpoints, where Spring Security earns its place:
 * {@code /oauth/login}, the callback, logout, admin consent and the chooser
 * ({@link GatewayPaths#SIGN_IN_ENDPOINTS}), the account pages ({@code /account/*}) and
 * the self-service SSO setup page ({@code /oauth/setup}). The pipeline hands these over
 * after its limits and cross-site steps; here they get, in this order, the methods they
 * are answered with (405 otherwise), the sign-in start limit, the sign-in pages, Spring
 * Security's sign-in chain (OAuth2 login, logout, the session's security context) and the
 * chooser. None of them is a web filter of its own: they run for these paths only.
 */
public final class GatewayEndpoints {

	private static final String ACCOUNT = "/account";

	private final WebFilter accountPages;

	private final WebFilter setupPages;

	private final List<WebFilter> signIn;

	/**
	 * @param accountPages answers every {@code /account/*} request
	 * @param signInLimits the sign-in start limit
	 * @param signInPages the logout confirmation and admin consent pages
	 * @param signInChain Spring Security's public chain
	 * @param chooser the sign-in chooser
	 * @param setupPages answers every {@code /oauth/setup} request
	 * @param setupCallback answers the callback when it brings the answer to a setup
	 * page's trip to the provider, and passes it on otherwise
	 */
	public GatewayEndpoints(WebFilter accountPages, WebFilter signInLimits, WebFilter signInPages,
			WebFilter signInChain, WebFilter chooser, WebFilter setupPages, WebFilter setupCallback) {
		this.accountPages = accountPages;
		this.setupPages = setupPages;
		this.signIn = List.of(signInLimits, setupCallback, signInPages, signInChain, chooser);
	}

	/**
	 * Whether the request is for one of the gateway's own endpoints (the path as the
	 * firewall left it).
	 */
	public boolean isEndpoint(ServerWebExchange exchange) {
		String path = exchange.getRequest().getPath().value();
		return GatewayPaths.SIGN_IN_ENDPOINTS.containsKey(path) || isAccountPage(path) || isSetupPage(path);
	}

	/**
	 * Answers the request; {@code chain} is the rest of the web filters and Spring Cloud
	 * Gateway, for what Spring Security lets through unanswered.
	 */
	public Mono<Void> handle(ServerWebExchange exchange, WebFilterChain chain) {
		String path = exchange.getRequest().getPath().value();
		if (isAccountPage(path)) {
			return this.accountPages.filter(exchange, chain);
		}
		if (isSetupPage(path)) {
			return this.setupPages.filter(exchange, chain);
		}
		SignInEndpointMethods.check(exchange);
		return new DefaultWebFilterChain(chain::filter, this.signIn).filter(exchange);
	}

	private static boolean isSetupPage(String path) {
		return path.equals(GatewayPaths.SETUP) || path.startsWith(GatewayPaths.SETUP + "/");
	}

	private static boolean isAccountPage(String path) {
		return path.equals(ACCOUNT) || path.startsWith(ACCOUNT + "/");
	}

}
