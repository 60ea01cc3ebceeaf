package com.iotorq.lean.gateway.admin;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

import com.iotorq.lean.gateway.credentials.CertificateExpiryMonitor;
import com.iotorq.lean.gateway.credentials.CertificateRepository;
import com.iotorq.lean.gateway.onboarding.SecretExpiryMonitor;
import com.iotorq.lean.gateway.onboarding.SecretExpiryRepository;

/**
 * {@code GET /admin/sso/expiring?withinDays=30}: organisations whose client secret
 * expires within the window (0 to 3650 days, default 30), and certificates (PENDING or
 * ACTIVE) whose {@code notAfter} falls within it, soonest first, each row saying which
 * {@code credential} it is; those that already expired are listed too, with negative
 * {@code daysLeft}. The secret of an organisation that signs in with a certificate is not
 * in use and not listed.
 */
public final class ExpiringSecretsAdminHandler {

	static final int DEFAULT_WITHIN_DAYS = 30;

	static final int MAX_WITHIN_DAYS = 3650;

	private final SecretExpiryRepository secrets;

	private final SecretExpiryMonitor monitor;

	private final AdminResponses responses;

	private final Clock clock;

	private final CertificateRepository certificates;

	private final CertificateExpiryMonitor certificateMonitor;

	public ExpiringSecretsAdminHandler(SecretExpiryRepository secrets, SecretExpiryMonitor monitor,
			AdminResponses responses, Clock clock, CertificateRepository certificates,
			CertificateExpiryMonitor certificateMonitor) {
		this.secrets = secrets;
		this.monitor = monitor;
		this.responses = responses;
		this.clock = clock;
		this.certificates = certificates;
		this.certificateMonitor = certificateMonitor;
	}

	public Mono<ServerResponse> list(ServerRequest request) {
		return Mono.defer(() -> {
			int withinDays = AdminRequests.intParam(request, "withinDays", DEFAULT_WITHIN_DAYS, 0, MAX_WITHIN_DAYS);
			LocalDate until = LocalDate.now(this.clock).plusDays(withinDays);
			Flux<Expiring> secrets = this.secrets.expiringBy(until)
				.map(secret -> new Expiring(CLIENT_SECRET, secret.slug(), secret.expiresAt(),
						this.monitor.daysLeft(secret.expiresAt()), null, null, null, null));
			Flux<Expiring> certificates = this.certificates.unretired()
				.filter(certificate -> !CertificateExpiryMonitor.expiresOn(certificate).isAfter(until))
				.map(certificate -> new Expiring(CERTIFICATE, certificate.slug(),
						CertificateExpiryMonitor.expiresOn(certificate), this.certificateMonitor.daysLeft(certificate),
						certificate.id(), certificate.status().name(), certificate.thumbprintSha1(),
						certificate.notAfter()));
			return Flux.concat(secrets, certificates)
				.collectSortedList(Comparator.comparing(Expiring::expiresAt).thenComparing(Expiring::slug))
				.flatMap(items -> this.responses.json(HttpStatus.OK, new Listing(withinDays, items)));
		});
	}

	/**
	 * @param credential {@code client_secret} or {@code certificate}
	 * @param slug the organisation
	 * @param expiresAt the day its client secret or certificate expires (UTC)
	 * @param daysLeft days from today (UTC) until then; 0 on the day, negative once
	 * expired
	 * @param id the certificate's id, for certificates
	 * @param status the certificate's status ({@code PENDING} or {@code ACTIVE}), for
	 * certificates
	 * @param thumbprintSha1 the certificate's thumbprint, as the Entra admin center shows
	 * it
	 * @param notAfter the instant the certificate stops being valid, for certificates
	 */
	record Expiring(String credential, String slug, LocalDate expiresAt, long daysLeft, @Nullable UUID id,
			@Nullable String status, @Nullable String thumbprintSha1, @Nullable Instant notAfter) {
	}

	private static final String CLIENT_SECRET = "client_secret";

	private static final String CERTIFICATE = "certificate";

	record Listing(int withinDays, List<Expiring> items) {
	}

}
