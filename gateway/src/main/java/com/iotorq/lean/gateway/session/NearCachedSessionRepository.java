package com.iotorq.lean.gateway.session;

import java.time.Instant;
import java.util.function.Function;

import reactor.core.publisher.Mono;

import org.springframework.session.ReactiveSessionRepository;
import org.springframework.session.Session;
import org.springframework.session.SessionIdGenerator;

/**
 * Redis sessions through a per-replica near cache ({@link SessionNearCache}): a session
 * this replica read recently is served without a Redis command. Each request gets its own
 * {@link SessionView} over the cached copy, so requests of one person running at once
 * never see each other's unsaved changes.
 * <ul>
 * <li>A view that was not changed saves nothing (as
 * {@link TouchThrottlingSessionRepository}, above this, already keeps it).</li>
 * <li>A changed one (an attribute, the last access once a {@code touchInterval}, a new id
 * at sign-in) is written through the store's own session: the one this request read, else
 * read again for the purpose; then every replica is told to forget the session's (old)
 * id.</li>
 * <li>A session deleted (signed out, account disabled, organisation changed) is forgotten
 * by every replica the same way.</li>
 * </ul>
 * New sessions go straight to the store: no replica can have cached an id it has never
 * seen.
 */
public final class NearCachedSessionRepository implements ReactiveSessionRepository<Session> {

	private final ReactiveSessionRepository<Session> delegate;

	private final SessionNearCache cache;

	private final Function<String, Mono<Void>> publish;

	private final SessionIdGenerator ids;

	/**
	 * @param delegate the store
	 * @param cache this replica's cached sessions
	 * @param publish tells every replica (this one included) that the session of this id
	 * changed or ended
	 * @param ids the store's session id generator, through which a new id given out by a
	 * view reaches the store's own session
	 */
	NearCachedSessionRepository(ReactiveSessionRepository<Session> delegate, SessionNearCache cache,
			Function<String, Mono<Void>> publish, PresetSessionIds ids) {
		this.delegate = delegate;
		this.cache = cache;
		this.publish = publish;
		this.ids = ids;
	}

	@Override
	public Mono<Session> createSession() {
		return this.delegate.createSession();
	}

	@Override
	public Mono<Session> findById(String id) {
		return Mono.defer(() -> {
			SessionSnapshot cached = this.cache.get(id);
			if (cached != null && !cached.isExpired(Instant.now())) {
				return Mono.just(new SessionView(cached, null, this.ids));
			}
			SessionNearCache.Ticket ticket = this.cache.ticket(id);
			return this.delegate.findById(id).map(stored -> {
				SessionSnapshot read = SessionSnapshot.of(stored);
				this.cache.put(read, ticket);
				return new SessionView(read, stored, this.ids);
			});
		});
	}

	@Override
	public Mono<Void> save(Session session) {
		if (!(session instanceof SessionView view)) {
			return this.delegate.save(session);
		}
		return Mono.defer(() -> view.hasChanges() ? write(view) : Mono.empty());
	}

	private Mono<Void> write(SessionView view) {
		String storedId = view.storedId();
		Session read = view.stored();
		Mono<Session> stored = (read != null) ? Mono.just(read) : this.delegate.findById(storedId)
			.switchIfEmpty(Mono.error(() -> new IllegalStateException("Session was invalidated")));
		return stored.flatMap(target -> {
			view.applyTo(target);
			return this.delegate.save(target).then(Mono.fromRunnable(() -> view.saved(target)));
		})
			.then(invalidated(storedId))
			// written in part perhaps: no replica keeps what it had
			.onErrorResume(ex -> invalidated(storedId).onErrorComplete().then(Mono.error(ex)));
	}

	@Override
	public Mono<Void> deleteById(String id) {
		return this.delegate.deleteById(id).then(invalidated(id));
	}

	/** Forgotten here at once, and on every other replica once they hear of it. */
	private Mono<Void> invalidated(String id) {
		return Mono.defer(() -> {
			this.cache.invalidate(id);
			return this.publish.apply(id);
		});
	}

}
