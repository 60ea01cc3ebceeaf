package com.iotorq.lean.gateway.credentials;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.OptionalInt;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import com.iotorq.lean.gateway.credentials.CertificateRepository.Expiring;

/**
 * Watches certificates expire, as {@code SecretExpiryMonitor} watches client secrets.
 * Each check
 * <ul>
 * <li>refreshes the gauge {@value #GAUGE} (days until {@code notAfter}; tags
 * {@code tenant}=slug, {@code certificate}=id, {@code status}) for every PENDING and
 * ACTIVE certificate;</li>
 * <li>logs a warning when an ACTIVE certificate has reached a threshold (default 60, 30,
 * 14, 7 and 1 days left) and once more when it has expired, once per threshold across all
 * replicas (only the replica whose insert into {@code sso_certificate_expiry_warning}
 * succeeds logs). A PENDING certificate signs nothing, so its expiry is shown but not
 * warned about.</li>
 * </ul>
 */
public final class CertificateExpiryMonitor {

	/**
	 * The gauge's name; {@code lean_sso_client_certificate_expiry_days} in Prometheus.
	 */
	public static final String GAUGE = "lean.sso.client.certificate.expiry.days";

	private static final Logger logger = LoggerFactory.getLogger(CertificateExpiryMonitor.class);

	private final CertificateRepository repository;

	private final ExpiryThresholds thresholds;

	private final MultiGauge gauge;

	/**
	 * The gauge's rows refer to these weakly: this field keeps them alive between checks.
	 */
	private volatile List<Expiring> tracked = List.of();

	public CertificateExpiryMonitor(CertificateRepository repository, CertificateExpiryProperties properties,
			Clock clock, MeterRegistry meters) {
		this.repository = repository;
		this.thresholds = new ExpiryThresholds(properties.warningDays(), clock);
		this.gauge = MultiGauge.builder(GAUGE)
			.description("Days until the organisation's SSO certificate expires (negative: expired)")
			.register(meters);
	}

	/**
	 * Whole days from today (UTC) until the day (UTC) the certificate expires; 0 on that
	 * day, negative after.
	 */
	public long daysLeft(Expiring certificate) {
		return this.thresholds.daysLeft(expiresOn(certificate));
	}

	/** The day (UTC) the certificate stops being valid. */
	public static LocalDate expiresOn(Expiring certificate) {
		return LocalDate.ofInstant(certificate.notAfter(), ZoneOffset.UTC);
	}

	/** One check: refreshes the gauge and logs the warnings this replica claimed. */
	public Mono<Void> check() {
		return this.repository.unretired().collectList().flatMap(certificates -> {
			this.tracked = List.copyOf(certificates);
			this.gauge.register(this.tracked.stream()
				.map(certificate -> MultiGauge.Row.of(Tags.of("tenant", certificate.slug(), "certificate",
						certificate.id().toString(), "status", certificate.status().name()), certificate,
						this::daysLeft))
				.toList(), true);
			return Flux.fromIterable(certificates)
				.filter(certificate -> certificate.status() == SigningCertificate.Status.ACTIVE)
				.concatMap(this::warnIfDue)
				.then();
		});
	}

	private Mono<Void> warnIfDue(Expiring certificate) {
		long days = daysLeft(certificate);
		OptionalInt threshold = threshold(days);
		if (threshold.isEmpty()) {
			return Mono.empty();
		}
		return this.repository.claimWarning(certificate.id(), threshold.getAsInt()).doOnNext(claimed -> {
			if (!claimed) {
				return;
			}
			if (days < 0) {
				logger
					.warn("The SSO certificate {} of tenant {} expired on {}: nobody of that organisation can sign in "
							+ "until a new certificate is generated (POST /admin/tenants/{}/sso/certificates), uploaded by its "
							+ "Entra administrator and verified (POST /admin/tenants/{}/sso/verify)",
							certificate.thumbprintSha1(), certificate.slug(), expiresOn(certificate),
							certificate.slug(), certificate.slug());
			}
			else {
				logger
					.warn("The SSO certificate {} of tenant {} expires in {} day{} (on {}): generate the next one (POST "
							+ "/admin/tenants/{}/sso/certificates), have the organisation's Entra administrator upload it next "
							+ "to the current one, then verify (POST /admin/tenants/{}/sso/verify)",
							certificate.thumbprintSha1(), certificate.slug(), days, (days == 1) ? "" : "s",
							expiresOn(certificate), certificate.slug(), certificate.slug());
			}
		}).then();
	}

	/**
	 * The tightest threshold reached: 0 once expired, empty while no threshold is
	 * reached.
	 */
	OptionalInt threshold(long daysLeft) {
		return this.thresholds.reached(daysLeft);
	}

}
