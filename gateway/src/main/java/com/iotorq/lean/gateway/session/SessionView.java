package com.iotorq.lean.gateway.session;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import org.springframework.session.Session;
import org.springframework.session.SessionIdGenerator;

/**
 * One request's session, over a {@link SessionSnapshot} it shares with other requests of
 * the same person: it reads the snapshot until it is changed, then its own copy, and
 * remembers what changed so that {@link NearCachedSessionRepository} writes exactly that
 * through the store's own session (as Spring Session writes only what changed, another
 * request's changes to other attributes stay). Used by one request at a time, as every
 * session is.
 */
final class SessionView implements Session {

	private final SessionSnapshot base;

	private final SessionIdGenerator ids;

	/**
	 * The store's own session: read by this request, or the one it was last saved
	 * through.
	 */
	private @Nullable Session stored;

	/**
	 * The id in the store: what a save looks the session up by, and what it invalidates.
	 */
	private String storedId;

	private String id;

	/** This request's own attributes, once it changed one; until then the snapshot's. */
	private @Nullable Map<String, Object> attributes;

	/**
	 * Attributes set or removed by this request: allocated only then, as most requests
	 * change none.
	 */
	private @Nullable Set<String> changedAttributes;

	private Instant lastAccessedTime;

	private boolean lastAccessChanged;

	private Duration maxInactiveInterval;

	private boolean maxInactiveIntervalChanged;

	SessionView(SessionSnapshot base, @Nullable Session stored, SessionIdGenerator ids) {
		this.base = base;
		this.stored = stored;
		this.ids = ids;
		this.storedId = base.id();
		this.id = base.id();
		this.lastAccessedTime = base.lastAccessedTime();
		this.maxInactiveInterval = base.maxInactiveInterval();
	}

	/** Whether there is anything to write. */
	boolean hasChanges() {
		return !this.id.equals(this.storedId) || this.changedAttributes != null || this.lastAccessChanged
				|| this.maxInactiveIntervalChanged;
	}

	@Nullable Session stored() {
		return this.stored;
	}

	String storedId() {
		return this.storedId;
	}

	/** Applies this request's changes to the store's own session, which is then saved. */
	void applyTo(Session target) {
		if (!this.id.equals(target.getId())) {
			PresetSessionIds.changeTo(target, this.id);
		}
		for (String name : (this.changedAttributes != null) ? this.changedAttributes : Set.<String>of()) {
			Object value = attributes().get(name);
			if (value == null) {
				target.removeAttribute(name);
			}
			else {
				target.setAttribute(name, value);
			}
		}
		if (this.lastAccessChanged) {
			target.setLastAccessedTime(this.lastAccessedTime);
		}
		if (this.maxInactiveIntervalChanged) {
			target.setMaxInactiveInterval(this.maxInactiveInterval);
		}
	}

	/**
	 * After {@code target} was saved with this request's changes: nothing left to write.
	 */
	void saved(Session target) {
		this.stored = target;
		this.storedId = this.id;
		this.changedAttributes = null;
		this.lastAccessChanged = false;
		this.maxInactiveIntervalChanged = false;
	}

	private Map<String, Object> attributes() {
		return (this.attributes != null) ? this.attributes : this.base.attributes();
	}

	private Map<String, Object> ownAttributes() {
		if (this.attributes == null) {
			this.attributes = new HashMap<>(this.base.attributes());
		}
		return this.attributes;
	}

	@Override
	public String getId() {
		return this.id;
	}

	@Override
	public String changeSessionId() {
		this.id = this.ids.generate();
		return this.id;
	}

	@Override
	@SuppressWarnings("unchecked")
	public <T> @Nullable T getAttribute(String attributeName) {
		return (T) attributes().get(attributeName);
	}

	@Override
	public Set<String> getAttributeNames() {
		return Collections.unmodifiableSet(attributes().keySet());
	}

	@Override
	public void setAttribute(String attributeName, @Nullable Object attributeValue) {
		if (attributeValue == null) {
			removeAttribute(attributeName);
			return;
		}
		ownAttributes().put(attributeName, attributeValue);
		changed(attributeName);
	}

	@Override
	public void removeAttribute(String attributeName) {
		ownAttributes().remove(attributeName);
		changed(attributeName);
	}

	private void changed(String attributeName) {
		if (this.changedAttributes == null) {
			this.changedAttributes = new HashSet<>(4);
		}
		this.changedAttributes.add(attributeName);
	}

	@Override
	public Instant getCreationTime() {
		return this.base.creationTime();
	}

	@Override
	public void setLastAccessedTime(Instant lastAccessedTime) {
		this.lastAccessedTime = lastAccessedTime;
		this.lastAccessChanged = true;
	}

	@Override
	public Instant getLastAccessedTime() {
		return this.lastAccessedTime;
	}

	@Override
	public void setMaxInactiveInterval(Duration interval) {
		this.maxInactiveInterval = interval;
		this.maxInactiveIntervalChanged = true;
	}

	@Override
	public Duration getMaxInactiveInterval() {
		return this.maxInactiveInterval;
	}

	@Override
	public boolean isExpired() {
		return SessionSnapshot.isExpired(this.lastAccessedTime, this.maxInactiveInterval, Instant.now());
	}

	@Override
	public String toString() {
		return "SessionView[" + attributes().size() + " attributes]";
	}

}
