package com.iotorq.lean.gateway.sso.oidc;

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
 * Identity providers' signing keys, per JWKS URI, fetched over {@link IdpHttp}'s
 * WebClient (never blocking an event loop), at most one fetch per key set at a time.
 * <ul>
 * <li>A key set is used for at most {@code maxAge}; after that a sign-in waits for a new
 * copy and is refused while none can be had, so a key the provider withdrew stops being
 * accepted.</li>
 * <li>From {@code refreshAhead} before that, a sign-in that uses the set also fetches it
 * again in the background (stale-while-revalidate): the keys of a provider in use do not
 * age out, and no sign-in waits for their refresh.</li>
 * <li>Keys rotate: a token naming a key id that is not in the set makes the set be
 * fetched again, at most once per {@code refreshInterval}, so tokens with invented key
 * ids cannot make the gateway hammer a provider.</li>
 * <li>After a failed fetch the next one waits a short backoff (doubling up to a bound),
 * not the refresh interval; meanwhile a sign-in that needs new keys is refused at
 * once.</li>
 * </ul>
 * Key fetches do not go through the provider's circuit breaker: the backoff paces them
 * already, and a failing key endpoint must not close the provider to sign-ins for the
 * breaker's whole open interval after it is back.
 */
public final class JwkSets {

	private static final Logger logger = LoggerFactory.getLogger(JwkSets.class);

	private final IdpHttp http;

	private final JwksProperties properties;

	private final Duration refreshInterval;

	private final Clock clock;

	private final Cache<URI, KeySet> sets;

	/**
	 * @param refreshInterval the shortest interval between two fetches caused by unknown
	 * key ids ({@code lean.sso.jwks-refresh-interval})
	 */
	public JwkSets(IdpHttp http, JwksProperties properties, Duration refreshInterval, Clock clock) {
		this.http = http;
		this.properties = properties;
		this.refreshInterval = refreshInterval;
		this.clock = clock;
		// a set nobody used for its whole maximum age would have to be fetched again
		// anyway
		this.sets = Caffeine.newBuilder().maximumSize(10_000).expireAfterAccess(properties.maxAge()).build();
	}

	/** The keys at {@code jwksUri} that may have signed {@code jwt}. */
	public Flux<JWK> keysFor(URI jwksUri, SignedJWT jwt) {
		return Flux.defer(() -> this.sets.get(jwksUri, KeySet::new).keysFor(jwt));
	}

	/** The wait before the next fetch after this many failed ones in a row. */
	Duration backoff(int failures) {
		Duration max = this.properties.maxRetryBackoff();
		Duration wait = this.properties.retryBackoff();
		for (int i = 1; i < failures && wait.compareTo(max) < 0; i++) {
			wait = wait.multipliedBy(2);
		}
		return (wait.compareTo(max) < 0) ? wait : max;
	}

	/** A good copy of a key set and when it was fetched. */
	private record Fetched(JWKSet keys, Instant at) {
	}

	/**
	 * No usable keys could be had. An {@link IllegalStateException}, so that Spring
	 * Security's decoder passes it on instead of turning it into an invalid token: the
	 * person sees "Sign-in service unavailable", not "Sign-in could not be verified".
	 */
	static final class KeysUnavailableException extends IllegalStateException {

		KeysUnavailableException(String message, @Nullable Throwable cause) {
			super(message, cause);
		}

	}

	/**
	 * One provider's key set: the last good copy, at most one fetch under way, and the
	 * backoff.
	 */
	private final class KeySet {

		private final URI uri;

		private volatile @Nullable Fetched current;

		// guarded by this
		private @Nullable Mono<JWKSet> inFlight;

		private int failures;

		private Instant retryAt = Instant.EPOCH;

		KeySet(URI uri) {
			this.uri = uri;
		}

		Flux<JWK> keysFor(SignedJWT jwt) {
			JWKSelector selector = new JWKSelector(JWKMatcher.forJWSHeader(jwt.getHeader()));
			Instant now = JwkSets.this.clock.instant();
			Fetched fetched = this.current;
			Instant expires = (fetched != null) ? fetched.at().plus(JwkSets.this.properties.maxAge()) : Instant.EPOCH;
			if (fetched == null || !now.isBefore(expires)) {
				// nothing usable at hand: this sign-in has to wait for the keys
				return fetch(now).flatMapIterable(selector::select);
			}
			if (!now.isBefore(expires.minus(JwkSets.this.properties.refreshAhead()))) {
				refreshInBackground(now);
			}
			List<JWK> matching = selector.select(fetched.keys());
			if (!matching.isEmpty()) {
				return Flux.fromIterable(matching);
			}
			Mono<JWKSet> again = fetchForUnknownKeyId(fetched, now, jwt.getHeader().getKeyID());
			return (again != null) ? again.flatMapIterable(selector::select) : Flux.empty();
		}

		/**
		 * A fetch for a key id the set lacks, or null while the refresh interval forbids
		 * one.
		 */
		private synchronized @Nullable Mono<JWKSet> fetchForUnknownKeyId(Fetched fetched, Instant now,
				@Nullable String kid) {
			// after a failure the backoff paces fetches, otherwise the refresh interval
			// does
			if (this.failures == 0 && now.isBefore(fetched.at().plus(JwkSets.this.refreshInterval))) {
				return this.inFlight; // a refresh under way may bring the key
			}
			if (this.inFlight == null && !now.isBefore(this.retryAt)) {
				logger.info("Key id {} is not among the keys at {}; fetching them again", kid, this.uri);
			}
			return fetch(now);
		}

		private void refreshInBackground(Instant now) {
			Mono<JWKSet> refresh = startRefresh(now);
			if (refresh != null) {
				// the outcome is recorded (and a failure logged) by the fetch itself
				refresh.subscribe(keys -> {
				}, ex -> {
				});
			}
		}

		/** A new fetch, or null while one runs or the backoff lasts. */
		private synchronized @Nullable Mono<JWKSet> startRefresh(Instant now) {
			return (this.inFlight == null && !now.isBefore(this.retryAt)) ? fetch(now) : null;
		}

		/**
		 * The fetch under way, a new one, or an error at once while the backoff lasts.
		 */
		private synchronized Mono<JWKSet> fetch(Instant now) {
			if (this.inFlight != null) {
				return this.inFlight;
			}
			if (now.isBefore(this.retryAt)) {
				return Mono.error(new KeysUnavailableException("The keys at " + this.uri
						+ " could not be fetched; the next attempt is not before " + this.retryAt, null));
			}
			IdpHttp http = JwkSets.this.http;
			// shared by whoever asks while it runs; succeeded() or failed() record the
			// outcome and drop
			// it before anyone sees that outcome, so the next caller finds the state it
			// left
			Mono<JWKSet> fetch = http.bounded(http.webClient().get().uri(this.uri).retrieve().bodyToMono(String.class))
				.switchIfEmpty(Mono.error(() -> new IllegalStateException("The keys at " + this.uri + " are empty")))
				.map(this::parse)
				.doOnNext(this::succeeded)
				.doOnError(this::failed)
				.onErrorMap(ex -> !(ex instanceof KeysUnavailableException),
						ex -> new KeysUnavailableException("The keys at " + this.uri + " could not be fetched", ex))
				.doOnCancel(this::done)
				.cache();
			this.inFlight = fetch;
			return fetch;
		}

		private synchronized void succeeded(JWKSet keys) {
			this.inFlight = null;
			this.current = new Fetched(keys, JwkSets.this.clock.instant());
			this.failures = 0;
			this.retryAt = Instant.EPOCH;
		}

		private synchronized void failed(Throwable ex) {
			this.inFlight = null;
			this.failures++;
			Duration wait = backoff(this.failures);
			this.retryAt = JwkSets.this.clock.instant().plus(wait);
			logger.warn("The keys at {} could not be fetched ({} in a row): {}; next attempt in {} ms at the earliest",
					this.uri, this.failures, ex.toString(), wait.toMillis());
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
