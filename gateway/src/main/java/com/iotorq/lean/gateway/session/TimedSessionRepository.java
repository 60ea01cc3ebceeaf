package com.iotorq.lean.gateway.session;

import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;

import org.springframework.session.ReactiveSessionRepository;
import org.springframework.session.Session;

/**
 * Measures the session store: {@code lean_session_store_seconds{store, operation,
 * outcome}}, so a slow Redis shows up before it becomes an outage.
 */
public final class TimedSessionRepository implements ReactiveSessionRepository<Session> {

	enum Operation {

		CREATE, FIND, SAVE, DELETE

	}

	private final ReactiveSessionRepository<Session> delegate;

	private final Map<Operation, Timer> succeeded = new EnumMap<>(Operation.class);

	private final Map<Operation, Timer> failed = new EnumMap<>(Operation.class);

	public TimedSessionRepository(ReactiveSessionRepository<Session> delegate, MeterRegistry registry, String store) {
		this.delegate = delegate;
		for (Operation operation : Operation.values()) {
			this.succeeded.put(operation, timer(registry, store, operation, "success"));
			this.failed.put(operation, timer(registry, store, operation, "error"));
		}
	}

	private static Timer timer(MeterRegistry registry, String store, Operation operation, String outcome) {
		return Timer.builder("lean.session.store")
			.description("Calls to the session store")
			.tag("store", store)
			.tag("operation", operation.name().toLowerCase(java.util.Locale.ROOT))
			.tag("outcome", outcome)
			.register(registry);
	}

	@Override
	public Mono<Session> createSession() {
		return timed(Operation.CREATE, this.delegate.createSession());
	}

	@Override
	public Mono<Void> save(Session session) {
		return timed(Operation.SAVE, this.delegate.save(session));
	}

	@Override
	public Mono<Session> findById(String id) {
		return timed(Operation.FIND, this.delegate.findById(id));
	}

	@Override
	public Mono<Void> deleteById(String id) {
		return timed(Operation.DELETE, this.delegate.deleteById(id));
	}

	private <T> Mono<T> timed(Operation operation, Mono<T> call) {
		return Mono.defer(() -> {
			long started = System.nanoTime();
			return call.doFinally(signal -> Objects
				.requireNonNull(((signal == SignalType.ON_ERROR) ? this.failed : this.succeeded).get(operation),
						"the constructor registers a timer per operation")
				.record(System.nanoTime() - started, java.util.concurrent.TimeUnit.NANOSECONDS));
		});
	}

}
