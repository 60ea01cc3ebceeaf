package com.iotorq.lean.gateway.sso.login;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.web.server.context.ServerSecurityContextRepository;
import org.springframework.web.server.ServerWebExchange;

import com.iotorq.lean.gateway.account.LeanUser;
import com.iotorq.lean.gateway.ratelimit.SignedInRequests;

/**
 * The public chain's security context repository, loading each request's context once:
 * Spring Security asks again for every filter that reads it, and the rate limit asks
 * before the chain runs, to tell a signed-in person's request from an anonymous one by
 * the very same checks (session, organisation, timeouts, account) rather than by the
 * presence of a cookie.
 */
final class RequestScopedSecurityContexts implements ServerSecurityContextRepository, SignedInRequests {

	private static final String LOADED = RequestScopedSecurityContexts.class.getName() + ".loaded";

	private final ServerSecurityContextRepository repository;

	RequestScopedSecurityContexts(ServerSecurityContextRepository repository) {
		this.repository = repository;
	}

	@Override
	public Mono<Void> save(ServerWebExchange exchange, @Nullable SecurityContext context) {
		exchange.getAttributes().remove(LOADED);
		return this.repository.save(exchange, context);
	}

	@Override
	public Mono<SecurityContext> load(ServerWebExchange exchange) {
		Mono<SecurityContext> loaded = exchange.getAttribute(LOADED);
		if (loaded == null) {
			loaded = this.repository.load(exchange).cache();
			exchange.getAttributes().put(LOADED, loaded);
		}
		return loaded;
	}

	@Override
	public Mono<Boolean> isSignedIn(ServerWebExchange exchange) {
		// a session store that cannot answer errors here (the rate limit counts the
		// request as anonymous)
		// and fails the request in the chain as before
		return load(exchange).map(context -> isSignedIn(context.getAuthentication())).defaultIfEmpty(false);
	}

	@Override
	public Mono<Boolean> foundSignedIn(ServerWebExchange exchange) {
		Mono<SecurityContext> loaded = exchange.getAttribute(LOADED);
		return (loaded != null) ? loaded.map(context -> isSignedIn(context.getAuthentication()))
			.defaultIfEmpty(false)
			.onErrorReturn(false) : Mono.just(false);
	}

	private static boolean isSignedIn(@Nullable Authentication authentication) {
		return authentication != null && authentication.isAuthenticated()
				&& authentication.getPrincipal() instanceof LeanUser;
	}

}
