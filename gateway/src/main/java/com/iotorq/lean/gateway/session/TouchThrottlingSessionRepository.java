package com.iotorq.lean.gateway.session;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.session.ReactiveSessionRepository;
import org.springframework.session.Session;

/**
 * Keeps the session store off the hot path: Spring Session records the last access on
 * every request, which for Redis is a write per request. This repository passes a new
 * access time on only when the recorded one is older than {@code touchInterval}, so an
 * unchanged session is read, not written. The idle timeout is then exact to within that
 * interval.
 * <p>
 * A session found by {@link #findById} and not changed while the request ran is not saved
 * at all: WebFlux saves every started session at the end of every request, which costs
 * the Redis store a round trip ({@code EXISTS}, to notice a session invalidated
 * meanwhile) and the memory store a copy of the session, for nothing to write.
 */
public final class TouchThrottlingSessionRepository<S extends Session> implements ReactiveSessionRepository<Session> {

	private final ReactiveSessionRepository<S> delegate;

	private final Duration touchInterval;

	public TouchThrottlingSessionRepository(ReactiveSessionRepository<S> delegate, Duration touchInterval) {
		this.delegate = delegate;
		this.touchInterval = touchInterval;
	}

	@Override
	public Mono<Session> createSession() {
		return this.delegate.createSession().map(session -> new Throttled(session, true));
	}

	@Override
	public Mono<Void> save(Session session) {
		if (session instanceof TouchThrottlingSessionRepository<?>.Throttled throttled && !throttled.changed) {
			return Mono.empty();
		}
		return this.delegate.save(unwrap(session));
	}

	@Override
	public Mono<Session> findById(String id) {
		return this.delegate.findById(id).map(session -> new Throttled(session, false));
	}

	@Override
	public Mono<Void> deleteById(String id) {
		return this.delegate.deleteById(id);
	}

	@SuppressWarnings("unchecked")
	private S unwrap(Session session) {
		return (session instanceof TouchThrottlingSessionRepository<?>.Throttled throttled) ? (S) throttled.session
				: (S) session;
	}

	/**
	 * A session whose last-access time only moves in steps of {@code touchInterval}, and
	 * which knows whether anything was changed since it was read.
	 */
	final class Throttled implements Session {

		private final S session;

		/**
		 * Whether there is anything to save: a new session, or a change through this
		 * view.
		 */
		private volatile boolean changed;

		Throttled(S session, boolean changed) {
			this.session = session;
			this.changed = changed;
		}

		@Override
		public void setLastAccessedTime(Instant lastAccessedTime) {
			if (!lastAccessedTime.isBefore(
					this.session.getLastAccessedTime().plus(TouchThrottlingSessionRepository.this.touchInterval))) {
				this.session.setLastAccessedTime(lastAccessedTime);
				this.changed = true;
			}
		}

		@Override
		public String getId() {
			return this.session.getId();
		}

		@Override
		public String changeSessionId() {
			this.changed = true;
			return this.session.changeSessionId();
		}

		@Override
		public <T> @Nullable T getAttribute(String attributeName) {
			return this.session.getAttribute(attributeName);
		}

		@Override
		public Set<String> getAttributeNames() {
			return this.session.getAttributeNames();
		}

		@Override
		public void setAttribute(String attributeName, Object attributeValue) {
			this.changed = true;
			this.session.setAttribute(attributeName, attributeValue);
		}

		@Override
		public void removeAttribute(String attributeName) {
			this.changed = true;
			this.session.removeAttribute(attributeName);
		}

		@Override
		public Instant getCreationTime() {
			return this.session.getCreationTime();
		}

		@Override
		public Instant getLastAccessedTime() {
			return this.session.getLastAccessedTime();
		}

		@Override
		public void setMaxInactiveInterval(Duration interval) {
			this.changed = true;
			this.session.setMaxInactiveInterval(interval);
		}

		@Override
		public Duration getMaxInactiveInterval() {
			return this.session.getMaxInactiveInterval();
		}

		@Override
		public boolean isExpired() {
			return this.session.isExpired();
		}

	}

}
