package com.iotorq.lean.gateway.onboarding;

import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.OptionalInt;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import com.iotorq.lean.gateway.credentials.ExpiryThresholds;
import com.iotorq.lean.gateway.onboarding.SecretExpiryRepository.SecretExpiry;

/**
 * Watches client secrets expire. Each check
 * <ul>
 * <li>refreshes the gauge {@value #GAUGE} (days until expiry, tag {@code tenant}=slug;
 * never a secret), whose values follow the clock between checks;</li>
 * <li>logs a warning when a secret has reached a threshold (default 30, 14, 7 and 1 days
 * left) and once more when it has expired: once per threshold across all replicas,
 * because only the replica whose insert into {@code sso_secret_expiry_warning} succeeds
 * logs.</li>
 * </ul>
 * A secret first seen with, say, 5 days left gets the 7-day warning only, not every one
 * it missed ({@link ExpiryThresholds}); a new secret (another expiry date) starts over.
 */
public final class SecretExpiryMonitor {

	/** The gauge's name; {@code lean_sso_client_secret_expiry_days} in Prometheus. */
	public static final String GAUGE = "lean.sso.client.secret.expiry.days";

	private static final Logger logger = LoggerFactory.getLogger(SecretExpiryMonitor.class);

	private final SecretExpiryRepository repository;

	private final ExpiryThresholds thresholds;

	private final MultiGauge gauge;

	/**
	 * The gauge's rows refer to these weakly: this field keeps them alive between checks.
	 */
	private volatile List<SecretExpiry> tracked = List.of();

	public SecretExpiryMonitor(SecretExpiryRepository repository, SecretExpiryProperties properties, Clock clock,
			MeterRegistry meters) {
		this.repository = repository;
		this.thresholds = new ExpiryThresholds(properties.warningDays(), clock);
		this.gauge = MultiGauge.builder(GAUGE)
			.description("Days until the organisation's SSO client secret expires (negative: expired)")
			.register(meters);
	}

	/**
	 * Whole days from today (UTC) until the secret expires; 0 on the last day, negative
	 * after.
	 */
	public long daysLeft(LocalDate expiresAt) {
		return this.thresholds.daysLeft(expiresAt);
	}

	/** One check: refreshes the gauge and logs the warnings this replica claimed. */
	public Mono<Void> check() {
		return this.repository.all().collectList().flatMap(secrets -> {
			this.tracked = List.copyOf(secrets);
			this.gauge.register(this.tracked.stream()
				.map(secret -> MultiGauge.Row.of(Tags.of("tenant", secret.slug()), secret,
						tracked -> daysLeft(tracked.expiresAt())))
				.toList(), true);
			return Flux.fromIterable(secrets).concatMap(this::warnIfDue).then();
		});
	}

	private Mono<Void> warnIfDue(SecretExpiry secret) {
		long days = daysLeft(secret.expiresAt());
		OptionalInt threshold = threshold(days);
		if (threshold.isEmpty()) {
			return Mono.empty();
		}
		return this.repository.claimWarning(secret.tenantId(), secret.expiresAt(), threshold.getAsInt())
			.doOnNext(claimed -> {
				if (!claimed) {
					return;
				}
				if (days < 0) {
					logger.warn(
							"The SSO client secret of tenant {} expired on {}: nobody of that organisation can sign in "
									+ "until its Entra administrator creates a new secret and LEAN support enters it "
									+ "(PUT /admin/tenants/{}/sso)",
							secret.slug(), secret.expiresAt(), secret.slug());
				}
				else {
					logger
						.warn("The SSO client secret of tenant {} expires in {} day{} (on {}): ask the organisation's "
								+ "Entra administrator for a new secret and enter it with PUT /admin/tenants/{}/sso",
								secret.slug(), days, (days == 1) ? "" : "s", secret.expiresAt(), secret.slug());
				}
			})
			.then();
	}

	/**
	 * The tightest threshold reached: 0 once expired, empty while no threshold is
	 * reached.
	 */
	OptionalInt threshold(long daysLeft) {
		return this.thresholds.reached(daysLeft);
	}

}
