package com.iotorq.lean.gateway.session;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import org.jspecify.annotations.Nullable;

/**
 * Sessions this replica read from Redis recently, served without asking Redis again, but
 * only while this replica is sure to hear of every change made through any replica within
 * {@link #MAX_INVALIDATION_DELAY} ({@link RedisSessionInvalidations}):
 * <ul>
 * <li>it is subscribed to the invalidation channel, and a {@code PING} sent on that
 * connection at most this long ago has been answered. Redis answers in order, so every
 * invalidation published before that {@code PING} has been applied; a connection that
 * died without a word turns the cache off as surely as one that was closed;</li>
 * <li>everything cached while it was not subscribed is dropped when it (re)subscribes,
 * since invalidations published meanwhile were lost.</li>
 * </ul>
 * A read that raced an invalidation of the same session (or a re-subscription) is not
 * kept: it may have read what was just changed.
 */
final class SessionNearCache {

	/**
	 * Bound on how long after a change was published a replica may still serve what it
	 * replaced.
	 */
	static final Duration MAX_INVALIDATION_DELAY = Duration.ofSeconds(1);

	/**
	 * How recent the last answered {@code PING} must be: the promised bound, less room
	 * for the publishing round trip.
	 */
	private static final long LEASE_NANOS = MAX_INVALIDATION_DELAY.minusMillis(200).toNanos();

	/**
	 * Invalidation counters by hash of the id: a read that saw its counter move is not
	 * kept.
	 */
	private static final int STRIPES = 1024;

	private final Cache<String, SessionSnapshot> sessions;

	private final AtomicLongArray invalidations = new AtomicLongArray(STRIPES);

	/**
	 * Moves on every (re)subscription and loss of it: a read that saw it move is not
	 * kept.
	 */
	private final AtomicLong epoch = new AtomicLong();

	private volatile boolean subscribed;

	/**
	 * {@link System#nanoTime()} when the last {@code PING} that was answered was sent.
	 */
	private volatile long confirmedAt = System.nanoTime() - LEASE_NANOS - 1;

	SessionNearCache(NearCacheProperties properties) {
		this.sessions = Caffeine.newBuilder()
			.maximumSize(properties.maximumSize())
			.expireAfterWrite(properties.timeToLive())
			.recordStats()
			.build();
	}

	/**
	 * {@code cache_gets_total{cache="lean.sessions"}} and friends, and
	 * {@code lean_session_near_cache_listening}.
	 */
	void bindTo(MeterRegistry registry) {
		CaffeineCacheMetrics.monitor(registry, this.sessions, "lean.sessions");
		Gauge.builder("lean.session.near.cache.listening", this, cache -> cache.listening() ? 1 : 0)
			.description(
					"1 while this replica serves sessions from its near cache (subscribed to invalidations), else 0")
			.register(registry);
	}

	/** Whether cached sessions may be served now. */
	boolean listening() {
		return this.subscribed && System.nanoTime() - this.confirmedAt < LEASE_NANOS;
	}

	/** The cached session, only while {@link #listening()}. */
	@Nullable SessionSnapshot get(String id) {
		return listening() ? this.sessions.getIfPresent(id) : null;
	}

	/**
	 * Taken before a session is read from the store, to tell whether that read may be
	 * kept.
	 */
	Ticket ticket(String id) {
		int stripe = stripe(id);
		return new Ticket(this.epoch.get(), stripe, this.invalidations.get(stripe));
	}

	/**
	 * Keeps a session read from the store, unless it was invalidated (or the subscription
	 * changed) meanwhile.
	 */
	void put(SessionSnapshot session, Ticket ticket) {
		if (!listening()) {
			return;
		}
		this.sessions.put(session.id(), session);
		// checked after the put: an invalidation that came between ticket and put removes
		// the
		// session here, one that comes after the check removes it itself
		if (!ticket.valid(this)) {
			this.sessions.asMap().remove(session.id(), session);
		}
	}

	/** The session changed or ended, here or on another replica. */
	void invalidate(String id) {
		this.invalidations.incrementAndGet(stripe(id));
		this.sessions.invalidate(id);
	}

	/** Subscribed (again): what was cached before may have missed invalidations. */
	void subscribed() {
		this.epoch.incrementAndGet();
		this.sessions.invalidateAll();
		this.subscribed = true;
	}

	/** No longer subscribed: every read goes to the store until {@link #subscribed()}. */
	void unsubscribed() {
		this.subscribed = false;
		this.epoch.incrementAndGet();
		this.sessions.invalidateAll();
	}

	/**
	 * A {@code PING} sent at {@code sentAt} ({@link System#nanoTime()}) on the subscribed
	 * connection was answered.
	 */
	void confirmed(long sentAt) {
		if (sentAt - this.confirmedAt > 0) {
			this.confirmedAt = sentAt;
		}
	}

	long size() {
		return this.sessions.estimatedSize();
	}

	private static int stripe(String id) {
		int hash = id.hashCode();
		return (hash ^ (hash >>> 16)) & (STRIPES - 1);
	}

	record Ticket(long epoch, int stripe, long invalidations) {

		boolean valid(SessionNearCache cache) {
			return cache.epoch.get() == this.epoch && cache.invalidations.get(this.stripe) == this.invalidations
					&& cache.subscribed;
		}

	}

}
