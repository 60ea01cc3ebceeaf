package com.iotorq.lean.gateway.test.entra;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The wall clock, moved forward by {@link TestEntra#advanceClock}. Whole seconds, as in
 * JWTs.
 */
final class EntraClock {

	private volatile Duration offset = Duration.ZERO;

	/** Now, truncated to seconds. */
	Instant now() {
		return Instant.now().plus(this.offset).truncatedTo(ChronoUnit.SECONDS);
	}

	synchronized void advance(Duration by) {
		this.offset = this.offset.plus(by);
	}

}
