package com.iotorq.lean.gateway.session;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.Test;

import org.springframework.session.ReactiveMapSessionRepository;
import org.springframework.session.Session;

import static org.assertj.core.api.Assertions.assertThat;

class TouchThrottlingSessionRepositoryTests {

	@Test
	void setLastAccessedTimeWhenWithinIntervalThenUnchangedElseMoved() {
		var map = new ConcurrentHashMap<String, Session>();
		var repository = new TouchThrottlingSessionRepository<>(new ReactiveMapSessionRepository(map), Duration.ofSeconds(60));
		Session session = repository.createSession().block();
		Instant created = session.getLastAccessedTime();
		repository.save(session).block();

		Session again = repository.findById(session.getId()).block();
		again.setLastAccessedTime(created.plusSeconds(30));
		assertThat(again.getLastAccessedTime()).isEqualTo(created);
		again.setLastAccessedTime(created.plusSeconds(61));
		assertThat(again.getLastAccessedTime()).isEqualTo(created.plusSeconds(61));
		repository.save(again).block();
		assertThat(map.get(session.getId()).getLastAccessedTime()).isEqualTo(created.plusSeconds(61));
	}

}
