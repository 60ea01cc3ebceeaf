package com.iotorq.lean.gateway.session;

import java.time.Duration;

import reactor.core.publisher.Mono;

import org.springframework.session.ReactiveSessionRepository;
import org.springframework.session.Session;

import com.iotorq.lean.gateway.web.ErrorCode;
import com.iotorq.lean.gateway.web.GatewayException;
import com.iotorq.lean.gateway.web.CallerEventLoop;

/**
 * Turns a session store that cannot answer (Redis down, or slower than its command
 * timeout, {@code spring.data.redis.timeout}) into the gateway's "temporarily
 * unavailable" page with {@code Retry-After}, instead of an internal error. Only requests
 * that need a session get it: requests of organisations without sign-in never load one.
 * Answers come back on the request's own event loop ({@link CallerEventLoop}). A stored
 * session that Redis returns but that cannot be read is no outage:
 * {@link UnreadableSessionsAsAbsent} has already ended it (signed out).
 */
public final class ErrorMappingSessionRepository implements ReactiveSessionRepository<Session> {

	static final Duration RETRY_AFTER = Duration.ofSeconds(5);

	private final ReactiveSessionRepository<Session> delegate;

	public ErrorMappingSessionRepository(ReactiveSessionRepository<Session> delegate) {
		this.delegate = delegate;
	}

	@Override
	public Mono<Session> createSession() {
		return this.delegate.createSession().onErrorMap(ErrorMappingSessionRepository::unavailable);
	}

	@Override
	public Mono<Void> save(Session session) {
		return CallerEventLoop.resumeOn(this.delegate.save(session))
			.onErrorMap(ErrorMappingSessionRepository::unavailable);
	}

	@Override
	public Mono<Session> findById(String id) {
		return CallerEventLoop.resumeOn(this.delegate.findById(id))
			.onErrorMap(ErrorMappingSessionRepository::unavailable);
	}

	@Override
	public Mono<Void> deleteById(String id) {
		return CallerEventLoop.resumeOn(this.delegate.deleteById(id))
			.onErrorMap(ErrorMappingSessionRepository::unavailable);
	}

	private static Throwable unavailable(Throwable ex) {
		return (ex instanceof GatewayException) ? ex : new GatewayException(ErrorCode.SERVICE_UNAVAILABLE,
				"ioTORQ LEAN cannot reach its session store right now.", ex, RETRY_AFTER);
	}

}
