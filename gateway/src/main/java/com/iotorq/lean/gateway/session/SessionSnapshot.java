package com.iotorq.lean.gateway.session;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import org.springframework.session.Session;

/**
 * A session as the store held it when it was read: never changed, so one copy serves
 * every request of its person at once ({@link SessionView} gives each request its own
 * changes). The values themselves are shared as they are between requests anyway
 * ({@link DecodedValueCache}): the gateway never changes a session value in place, it
 * stores a new one.
 */
record SessionSnapshot(String id, Instant creationTime, Instant lastAccessedTime, Duration maxInactiveInterval,
		Map<String, Object> attributes) {

	static SessionSnapshot of(Session session) {
		Map<String, Object> attributes = new HashMap<>();
		for (String name : session.getAttributeNames()) {
			Object value = session.getAttribute(name);
			if (value != null) {
				attributes.put(name, value);
			}
		}
		return new SessionSnapshot(session.getId(), session.getCreationTime(), session.getLastAccessedTime(),
				session.getMaxInactiveInterval(), Map.copyOf(attributes));
	}

	/** As {@link org.springframework.session.MapSession#isExpired()} decides it. */
	static boolean isExpired(Instant lastAccessedTime, Duration maxInactiveInterval, Instant now) {
		return !maxInactiveInterval.isNegative() && now.minus(maxInactiveInterval).compareTo(lastAccessedTime) >= 0;
	}

	boolean isExpired(Instant now) {
		return isExpired(this.lastAccessedTime, this.maxInactiveInterval, now);
	}

	@Override
	public String toString() {
		// the id is as good as the cookie: never in a log line
		return "SessionSnapshot[" + this.attributes.size() + " attributes]";
	}

}
