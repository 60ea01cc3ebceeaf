package com.iotorq.lean.gateway.credentials;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CertificateExpiryMonitorTests {

	private static final Instant NOW = Instant.parse("2026-12-03T10:00:00Z");

	private final CertificateExpiryMonitor monitor = new CertificateExpiryMonitor(null,
			new CertificateExpiryProperties(List.of(60, 30, 14, 7, 1), Duration.ofHours(1), Duration.ZERO),
			Clock.fixed(NOW, ZoneOffset.UTC), new SimpleMeterRegistry());

	@Test
	void thresholdWhenRenewalIsDueThenTheTightestReachedFromSixtyDays() {
		assertThat(this.monitor.threshold(61)).isEmpty();
		assertThat(this.monitor.threshold(60)).hasValue(60);
		assertThat(this.monitor.threshold(45)).hasValue(60);
		assertThat(this.monitor.threshold(30)).hasValue(30);
		assertThat(this.monitor.threshold(0)).hasValue(1);
		assertThat(this.monitor.threshold(-1)).hasValue(0);
	}

	@Test
	void daysLeftWhenExpiringLaterTodayThenZeroAndCountedInUtcDays() {
		assertThat(this.monitor.daysLeft(expiring(NOW.plus(Duration.ofHours(5))))).isZero();
		assertThat(this.monitor.daysLeft(expiring(NOW.plus(Duration.ofDays(20))))).isEqualTo(20);
		assertThat(this.monitor.daysLeft(expiring(NOW.minus(Duration.ofDays(2))))).isEqualTo(-2);
	}

	private static CertificateRepository.Expiring expiring(Instant notAfter) {
		return new CertificateRepository.Expiring(UUID.randomUUID(), UUID.randomUUID(), "acme",
				SigningCertificate.Status.ACTIVE, "AB", notAfter);
	}

}
