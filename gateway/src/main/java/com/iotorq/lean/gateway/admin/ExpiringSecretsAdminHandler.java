package com.iotorq.lean.gateway.admin;

import java.time.Clock;
import java.time.LocalDate;
import java.util.List;

import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

import com.iotorq.lean.gateway.onboarding.SecretExpiryMonitor;
import com.iotorq.lean.gateway.onboarding.SecretExpiryRepository;

/**
 * {@code GET /admin/sso/expiring?withinDays=30}: organisations whose client secret expires within
 * the window (0 to 3650 days, default 30), soonest first; secrets that already expired are listed
 * too, with negative {@code daysLeft}.
 */
public final class ExpiringSecretsAdminHandler {

	static final int DEFAULT_WITHIN_DAYS = 30;

	static final int MAX_WITHIN_DAYS = 3650;

	private final SecretExpiryRepository secrets;

	private final SecretExpiryMonitor monitor;

	private final AdminResponses responses;

	private final Clock clock;

	public ExpiringSecretsAdminHandler(SecretExpiryRepository secrets, SecretExpiryMonitor monitor,
			AdminResponses responses, Clock clock) {
		this.secrets = secrets;
		this.monitor = monitor;
		this.responses = responses;
		this.clock = clock;
	}

	public Mono<ServerResponse> list(ServerRequest request) {
		return Mono.defer(() -> {
			int withinDays = AdminRequests.intParam(request, "withinDays", DEFAULT_WITHIN_DAYS, 0, MAX_WITHIN_DAYS);
			LocalDate until = LocalDate.now(this.clock).plusDays(withinDays);
			return this.secrets.expiringBy(until)
				.map(secret -> new Expiring(secret.slug(), secret.expiresAt(), this.monitor.daysLeft(secret.expiresAt())))
				.collectList()
				.flatMap(items -> this.responses.json(HttpStatus.OK, new Listing(withinDays, items)));
		});
	}

	/**
	 * @param slug the organisation
	 * @param expiresAt the day its client secret expires
	 * @param daysLeft days from today (UTC) until then; 0 on the day, negative once expired
	 */
	record Expiring(String slug, LocalDate expiresAt, long daysLeft) {
	}

	record Listing(int withinDays, List<Expiring> items) {
	}

}
