package com.iotorq.lean.gateway.session;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import reactor.core.Disposable;
import reactor.core.publisher.Flux;

import org.springframework.session.ReactiveMapSessionRepository;
import org.springframework.session.ReactiveSessionRepository;
import org.springframework.session.Session;

/**
 * Sessions of a single instance, in memory. The map store only notices expiry when a
 * session is looked up, so sessions nobody comes back for are swept once a minute.
 */
final class MemorySessions implements AutoCloseable {

	private final Map<String, Session> sessions = new ConcurrentHashMap<>();

	private final ReactiveSessionRepository<Session> repository;

	private final Disposable sweeper;

	MemorySessions(SessionProperties properties) {
		ReactiveMapSessionRepository map = new ReactiveMapSessionRepository(this.sessions);
		map.setDefaultMaxInactiveInterval(properties.idleTimeout());
		this.repository = new TouchThrottlingSessionRepository<>(map, properties.touchInterval());
		this.sweeper = Flux.interval(Duration.ofMinutes(1)).subscribe(tick -> sweep());
	}

	ReactiveSessionRepository<Session> repository() {
		return this.repository;
	}

	void sweep() {
		this.sessions.values().removeIf(Session::isExpired);
	}

	int size() {
		return this.sessions.size();
	}

	@Override
	public void close() {
		this.sweeper.dispose();
	}

}
