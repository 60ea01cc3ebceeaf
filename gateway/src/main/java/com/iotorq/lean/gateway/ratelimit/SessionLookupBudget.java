package com.iotorq.lean.gateway.ratelimit;

import java.time.Duration;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import com.iotorq.lean.gateway.web.ClientNetwork;

/**
 * How often the rate limit may look up a session cookie to tell a signed-in person from
 * an anonymous request: a lookup is a session store read (Redis), and a made-up cookie
 * costs one as much as a real one. Each client ({@link ClientNetwork}) may present
 * {@code lean.rate-limit.failed-session-lookups-per-minute} cookies that turn out not to
 * be a signed-in person's; beyond that its cookies are not looked up, and its requests
 * count as anonymous (within its share of the anonymous budget), until the budget has
 * refilled.
 * <p>
 * Sessions this replica has seen signed in are always looked up, so a flood of made-up
 * cookies from an address does not move the people signed in behind the same address into
 * the anonymous budget. Both are kept in this replica's memory, bounded: nothing here
 * costs a store call, and the common case, a signed-in person's request, costs one hash
 * lookup.
 */
final class SessionLookupBudget {

	/** Clients and sessions remembered; beyond, the least recently used are forgotten. */
	private static final long MAXIMUM_ENTRIES = 100_000;

	private final Cache<String, Failures> failures;

	private final Cache<String, Boolean> signedIn;

	private final double perSecond;

	private final long capacity;

	/**
	 * @param perMinute failed lookups one client may cause per minute (and at once)
	 * @param signedInFor how long a session seen signed in is remembered after its last
	 * request
	 */
	SessionLookupBudget(int perMinute, Duration signedInFor) {
		this.perSecond = perMinute / 60.0;
		this.capacity = perMinute;
		// a client's budget is full again after a minute; forgetting it then loses
		// nothing
		this.failures = Caffeine.newBuilder()
			.maximumSize(MAXIMUM_ENTRIES)
			.expireAfterAccess(Duration.ofMinutes(1))
			.build();
		this.signedIn = Caffeine.newBuilder().maximumSize(MAXIMUM_ENTRIES).expireAfterAccess(signedInFor).build();
	}

	/**
	 * Whether the session of this id was signed in when this replica last looked it up.
	 */
	boolean wasSignedIn(String sessionId) {
		return this.signedIn.getIfPresent(sessionId) != null;
	}

	/**
	 * Whether the client has cookies left to be looked up; no memory is taken for a new
	 * client.
	 */
	boolean mayLookUp(String client) {
		Failures failed = this.failures.getIfPresent(client);
		return failed == null || failed.available(this, System.nanoTime());
	}

	/** The lookup found a person signed in to the organisation. */
	void signedIn(String sessionId) {
		this.signedIn.put(sessionId, Boolean.TRUE);
	}

	/** The lookup found no signed-in person: one less for the client. */
	void failed(String client, String sessionId, boolean wasSignedIn) {
		if (wasSignedIn) {
			this.signedIn.invalidate(sessionId);
		}
		this.failures.get(client, key -> new Failures(this.capacity)).take(this, System.nanoTime());
	}

	/**
	 * A token bucket of failed lookups; the lock is held for a few arithmetic operations.
	 */
	private static final class Failures {

		private double tokens;

		private long countedAt = System.nanoTime();

		Failures(long capacity) {
			this.tokens = capacity;
		}

		synchronized boolean available(SessionLookupBudget budget, long now) {
			refill(budget, now);
			return this.tokens >= 1;
		}

		synchronized void take(SessionLookupBudget budget, long now) {
			refill(budget, now);
			this.tokens = Math.max(0, this.tokens - 1);
		}

		private void refill(SessionLookupBudget budget, long now) {
			this.tokens = Math.min(budget.capacity,
					this.tokens + Math.max(0, (now - this.countedAt) / 1e9 * budget.perSecond));
			this.countedAt = now;
		}

	}

}
