package com.iotorq.lean.gateway.ratelimit;

import reactor.core.publisher.Mono;

import org.springframework.web.server.ServerWebExchange;

/**
 * Tells a request of a signed-in person from an anonymous one, as Spring Security will see it:
 * a valid session of this organisation, not just any cookie (a made-up session cookie must not
 * move a flood into the signed-in people's budget).
 */
@FunctionalInterface
public interface SignedInRequests {

	/** Nobody is signed in (without SSO the gateway signs no one in). */
	SignedInRequests NONE = exchange -> Mono.just(false);

	/**
	 * @return whether the request belongs to a person signed in to its organisation; never empty,
	 * an error when the session store cannot answer
	 */
	Mono<Boolean> isSignedIn(ServerWebExchange exchange);

}
