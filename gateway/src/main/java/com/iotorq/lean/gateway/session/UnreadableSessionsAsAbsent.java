package com.iotorq.lean.gateway.session;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.data.redis.serializer.SerializationException;
import org.springframework.session.ReactiveSessionRepository;
import org.springframework.session.Session;

/**
 * A stored session that cannot be read (a value that is not JSON of an allowed type, or
 * one written by Java serialization before the gateway stored JSON) counts as no session:
 * it is deleted and the person signs in again, as after the idle timeout. Only an
 * unreadable value does that; a session store that cannot answer stays an error
 * ({@link ErrorMappingSessionRepository}).
 */
final class UnreadableSessionsAsAbsent<S extends Session> implements ReactiveSessionRepository<S> {

	private static final Logger logger = LoggerFactory.getLogger(UnreadableSessionsAsAbsent.class);

	private final ReactiveSessionRepository<S> delegate;

	UnreadableSessionsAsAbsent(ReactiveSessionRepository<S> delegate) {
		this.delegate = delegate;
	}

	@Override
	public Mono<S> findById(String id) {
		return this.delegate.findById(id).onErrorResume(SerializationException.class, ex -> {
			logger.info("A stored session could not be read and was ended: {}", ex.getMessage());
			return this.delegate.deleteById(id).then(Mono.empty());
		});
	}

	@Override
	public Mono<S> createSession() {
		return this.delegate.createSession();
	}

	@Override
	public Mono<Void> save(S session) {
		return this.delegate.save(session);
	}

	@Override
	public Mono<Void> deleteById(String id) {
		return this.delegate.deleteById(id);
	}

}
