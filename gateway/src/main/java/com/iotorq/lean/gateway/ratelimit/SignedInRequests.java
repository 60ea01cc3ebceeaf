package com.iotorq.lean.gateway.ratelimit;

import reactor.core.publisher.Mono;

import org.springframework.web.server.ServerWebExchange;

/**
 * Tells a request of a signed-in person from an anonymous one, as Spring Security will
 * see it: a valid session of this organisation, not just any cookie (a made-up session
 * cookie must not move a flood into the signed-in people's budget).
 */
@FunctionalInterface
public interface SignedInRequests {

	/** Nobody is signed in (without SSO the gateway signs no one in). */
	SignedInRequests NONE = exchange -> Mono.just(false);

	/**
	 * @return whether the request belongs to a person signed in to its organisation;
	 * never empty, an error when the session store cannot answer
	 */
	Mono<Boolean> isSignedIn(ServerWebExchange exchange);

	/**
	 * @return whether the request turned out to belong to a signed-in person, as far as
	 * the rest of the chain has already found out; never a session lookup of its own,
	 * {@code false} when nothing looked
	 */
	default Mono<Boolean> foundSignedIn(ServerWebExchange exchange) {
		return Mono.just(false);
	}

}
