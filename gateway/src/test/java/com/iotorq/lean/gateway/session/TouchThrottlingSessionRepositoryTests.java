package com.iotorq.lean.gateway.session;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.session.MapSession;
import org.springframework.session.ReactiveMapSessionRepository;
import org.springframework.session.Session;

import static org.assertj.core.api.Assertions.assertThat;

class TouchThrottlingSessionRepositoryTests {

	private static final Duration TOUCH_INTERVAL = Duration.ofSeconds(60);

	private final Map<String, Session> sessions = new ConcurrentHashMap<>();

	private final AtomicInteger saves = new AtomicInteger();

	private final TouchThrottlingSessionRepository<MapSession> repository = new TouchThrottlingSessionRepository<>(
			new ReactiveMapSessionRepository(this.sessions) {
				@Override
				public Mono<Void> save(MapSession session) {
					TouchThrottlingSessionRepositoryTests.this.saves.incrementAndGet();
					return super.save(session);
				}
			}, TOUCH_INTERVAL);

	@Test
	void saveWhenSessionIsNewThenWritten() {
		Session session = this.repository.createSession().block();
		this.repository.save(session).block();
		assertThat(this.saves).hasValue(1);
		assertThat(this.sessions).containsKey(session.getId());
	}

	@Test
	void saveWhenFoundSessionUnchangedThenNothingIsWritten() {
		String id = stored();
		Session found = this.repository.findById(id).block();
		found.getAttribute("user");
		this.repository.save(found).block();
		assertThat(this.saves).hasValue(0);
	}

	@Test
	void saveWhenAccessWithinTouchIntervalThenNothingIsWritten() {
		String id = stored();
		Session found = this.repository.findById(id).block();
		Instant recorded = found.getLastAccessedTime();
		found.setLastAccessedTime(recorded.plus(TOUCH_INTERVAL).minusSeconds(1));
		this.repository.save(found).block();
		assertThat(this.saves).hasValue(0);
		assertThat(this.sessions.get(id).getLastAccessedTime()).isEqualTo(recorded);
	}

	@Test
	void saveWhenAccessAfterTouchIntervalThenNewAccessTimeIsWritten() {
		String id = stored();
		Session found = this.repository.findById(id).block();
		Instant later = found.getLastAccessedTime().plus(TOUCH_INTERVAL);
		found.setLastAccessedTime(later);
		this.repository.save(found).block();
		assertThat(this.saves).hasValue(1);
		assertThat(this.sessions.get(id).getLastAccessedTime()).isEqualTo(later);
	}

	@Test
	void saveWhenAttributeSetOrRemovedThenWritten() {
		String id = stored();
		Session found = this.repository.findById(id).block();
		found.setAttribute("next", "/dashboard");
		this.repository.save(found).block();
		assertThat(this.sessions.get(id).<String>getAttribute("next")).isEqualTo("/dashboard");
		Session again = this.repository.findById(id).block();
		again.removeAttribute("next");
		this.repository.save(again).block();
		assertThat(this.saves).hasValue(2);
		assertThat(this.sessions.get(id).<String>getAttribute("next")).isNull();
	}

	@Test
	void saveWhenSessionIdChangedThenWrittenUnderTheNewId() {
		String id = stored();
		Session found = this.repository.findById(id).block();
		String newId = found.changeSessionId();
		this.repository.save(found).block();
		assertThat(this.sessions).containsKey(newId).doesNotContainKey(id);
	}

	@Test
	void saveWhenMaxInactiveIntervalChangedThenWritten() {
		String id = stored();
		Session found = this.repository.findById(id).block();
		found.setMaxInactiveInterval(Duration.ofMinutes(5));
		this.repository.save(found).block();
		assertThat(this.sessions.get(id).getMaxInactiveInterval()).isEqualTo(Duration.ofMinutes(5));
	}

	private String stored() {
		Session session = this.repository.createSession().block();
		session.setAttribute("user", "someone");
		this.repository.save(session).block();
		this.saves.set(0);
		return session.getId();
	}

}
