package com.iotorq.lean.gateway.credentials;

import java.time.Clock;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.OptionalInt;

/**
 * When a credential that expires (a client secret, a certificate) is due a warning: whole
 * days left by the UTC calendar, and the tightest of the configured thresholds reached (0
 * once expired). A credential first seen with, say, 5 days left reaches the 7-day
 * threshold only, not every one it missed.
 */
public final class ExpiryThresholds {

	private final List<Integer> days;

	private final Clock clock;

	/**
	 * @param warningDays days before expiry to warn at; non-positive values are ignored
	 * @param clock today's date
	 */
	public ExpiryThresholds(List<Integer> warningDays, Clock clock) {
		this.days = warningDays.stream().filter(days -> days > 0).sorted().distinct().toList();
		this.clock = clock;
	}

	/** Whole days from today (UTC) until the given day; 0 on that day, negative after. */
	public long daysLeft(LocalDate expiresOn) {
		return ChronoUnit.DAYS.between(LocalDate.now(this.clock), expiresOn);
	}

	/**
	 * The tightest threshold reached: 0 once expired, empty while no threshold is
	 * reached.
	 */
	public OptionalInt reached(long daysLeft) {
		if (daysLeft < 0) {
			return OptionalInt.of(0);
		}
		return this.days.stream().filter(threshold -> daysLeft <= threshold).mapToInt(Integer::intValue).findFirst();
	}

}
