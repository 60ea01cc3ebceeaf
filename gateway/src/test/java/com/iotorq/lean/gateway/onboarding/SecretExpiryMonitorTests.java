package com.iotorq.lean.gateway.onboarding;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.OptionalInt;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SecretExpiryMonitorTests {

	private final SecretExpiryMonitor monitor = new SecretExpiryMonitor(null,
			new SecretExpiryProperties(List.of(30, 14, 7, 1), Duration.ofHours(1), Duration.ZERO),
			Clock.fixed(Instant.parse("2026-11-26T23:59:00Z"), ZoneOffset.UTC), new SimpleMeterRegistry());

	@Test
	void thresholdWhenDaysLeftThenTightestThresholdReached() {
		assertThat(this.monitor.threshold(400)).isEmpty();
		assertThat(this.monitor.threshold(31)).isEmpty();
		assertThat(this.monitor.threshold(30)).isEqualTo(OptionalInt.of(30));
		assertThat(this.monitor.threshold(15)).isEqualTo(OptionalInt.of(30));
		assertThat(this.monitor.threshold(14)).isEqualTo(OptionalInt.of(14));
		assertThat(this.monitor.threshold(5)).isEqualTo(OptionalInt.of(7));
		assertThat(this.monitor.threshold(1)).isEqualTo(OptionalInt.of(1));
		assertThat(this.monitor.threshold(0)).isEqualTo(OptionalInt.of(1));
		assertThat(this.monitor.threshold(-1)).isEqualTo(OptionalInt.of(0));
	}

	@Test
	void daysLeftWhenCountedThenWholeDaysFromTodayUtc() {
		assertThat(this.monitor.daysLeft(LocalDate.parse("2026-11-27"))).isEqualTo(1);
		assertThat(this.monitor.daysLeft(LocalDate.parse("2026-11-26"))).isZero();
		assertThat(this.monitor.daysLeft(LocalDate.parse("2026-11-25"))).isEqualTo(-1);
	}

}
