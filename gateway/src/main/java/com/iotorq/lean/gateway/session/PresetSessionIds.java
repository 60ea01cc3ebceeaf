package com.iotorq.lean.gateway.session;

import org.springframework.session.Session;
import org.springframework.session.SessionIdGenerator;

/**
 * The Redis store's session id generator, through which a {@link SessionView} passes on
 * the id it already gave out: Spring Session's Redis session draws its new id itself when
 * its id changes (at sign-in), and cannot be built from outside. Every other id comes
 * from {@code generator}.
 */
final class PresetSessionIds implements SessionIdGenerator {

	/**
	 * Set only for the duration of one synchronous {@link Session#changeSessionId()}
	 * call.
	 */
	private static final ThreadLocal<String> preset = new ThreadLocal<>();

	private final SessionIdGenerator generator;

	PresetSessionIds(SessionIdGenerator generator) {
		this.generator = generator;
	}

	@Override
	public String generate() {
		String id = preset.get();
		if (id != null) {
			preset.remove();
			return id;
		}
		return this.generator.generate();
	}

	/**
	 * Changes the session's id to {@code id}.
	 * @throws IllegalStateException when the session's store does not draw its ids here
	 */
	static void changeTo(Session session, String id) {
		preset.set(id);
		try {
			session.changeSessionId();
		}
		finally {
			preset.remove();
		}
		if (!session.getId().equals(id)) {
			throw new IllegalStateException("The session store does not draw its session ids from PresetSessionIds");
		}
	}

}
