package com.iotorq.lean.gateway.sso;

import java.net.URI;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.SignedJWT;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Identity providers' signing keys, per JWKS URI. Keys rotate: a token naming a key id that is
 * not in the cached set makes the set be fetched again, but at most once per
 * {@code refreshInterval}, so tokens with invented key ids cannot make the gateway hammer a
 * provider.
 */
public final class JwkSets {

	private static final Logger logger = LoggerFactory.getLogger(JwkSets.class);

	private final IdpHttp http;

	private final Duration refreshInterval;

	private final Clock clock;

	private final Cache<URI, KeySet> sets = Caffeine.newBuilder().maximumSize(10_000).build();

	public JwkSets(IdpHttp http, Duration refreshInterval, Clock clock) {
		this.http = http;
		this.refreshInterval = refreshInterval;
		this.clock = clock;
	}

	/**
	 * The keys at {@code jwksUri} that may have signed {@code jwt}.
	 * @param issuer the provider the keys belong to, whose circuit breaker fetches go through
	 */
	public Flux<JWK> keysFor(String issuer, URI jwksUri, SignedJWT jwt) {
		return this.sets.get(jwksUri, uri -> new KeySet(issuer, uri)).keysFor(jwt);
	}

	/** One provider's key set: the last good copy, and at most one fetch under way. */
	private final class KeySet {

		private final String issuer;

		private final URI uri;

		private volatile @Nullable JWKSet known;

		private volatile Instant fetchedAt = Instant.EPOCH;

		private @Nullable Mono<JWKSet> inFlight;

		KeySet(String issuer, URI uri) {
			this.issuer = issuer;
			this.uri = uri;
		}

		Flux<JWK> keysFor(SignedJWT jwt) {
			JWKSelector selector = new JWKSelector(JWKMatcher.forJWSHeader(jwt.getHeader()));
			JWKSet current = this.known;
			Mono<JWKSet> set = (current != null) ? Mono.just(current) : fetch();
			return set.flatMapMany(keys -> {
				List<JWK> matching = selector.select(keys);
				if (!matching.isEmpty() || !mayRefetch()) {
					return Flux.fromIterable(matching);
				}
				logger.info("Key id {} is not among the keys at {}; fetching them again", jwt.getHeader().getKeyID(), this.uri);
				return fetch().flatMapIterable(selector::select);
			});
		}

		private boolean mayRefetch() {
			return !JwkSets.this.clock.instant().isBefore(this.fetchedAt.plus(JwkSets.this.refreshInterval));
		}

		private synchronized Mono<JWKSet> fetch() {
			if (this.inFlight != null) {
				return this.inFlight;
			}
			this.fetchedAt = JwkSets.this.clock.instant();
			IdpHttp http = JwkSets.this.http;
			Mono<JWKSet> fetch = http.call(this.issuer, http.webClient().get().uri(this.uri).retrieve().bodyToMono(String.class))
				.map(this::parse)
				.doOnNext(keys -> this.known = keys)
				.doFinally(signal -> done())
				.cache(); // shared by whoever asks while it runs; dropped by done() once it ends
			this.inFlight = fetch;
			return fetch;
		}

		private synchronized void done() {
			this.inFlight = null;
		}

		private JWKSet parse(String json) {
			try {
				return JWKSet.parse(json);
			}
			catch (ParseException ex) {
				throw new IllegalStateException("The keys at " + this.uri + " are not a JSON Web Key Set", ex);
			}
		}

	}

}
