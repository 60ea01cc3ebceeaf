package com.iotorq.lean.gateway.admin;

import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

import com.iotorq.lean.gateway.onboarding.SsoVerifications;
import com.iotorq.lean.gateway.tenant.TenantRepository;

/**
 * {@code POST /admin/tenants/{slug}/sso/verify}: checks the stored credentials against
 * the identity provider now and records the result as the last verification. Always 200
 * when the checks ran: a failed check is the answer, not an error of the request.
 */
public final class SsoVerificationAdminHandler {

	private final TenantRepository tenants;

	private final SsoVerifications verifications;

	private final AdminResponses responses;

	public SsoVerificationAdminHandler(TenantRepository tenants, SsoVerifications verifications,
			AdminResponses responses) {
		this.tenants = tenants;
		this.verifications = verifications;
		this.responses = responses;
	}

	public Mono<ServerResponse> verify(ServerRequest request) {
		String slug = request.pathVariable("slug");
		return this.tenants.findBySlug(slug)
			.switchIfEmpty(Mono.error(() -> AdminProblem.notFound("There is no organisation '" + slug + "'.")))
			.filter(tenant -> tenant.hasSso())
			.switchIfEmpty(Mono.error(() -> AdminProblem.notFound("Single sign-on is not enabled for '" + slug + "'.")))
			.flatMap(tenant -> this.verifications.verifyAndRecord(tenant)
				.flatMap(verification -> this.responses.json(HttpStatus.OK,
						TenantAdminHandler.VerificationView.of(verification, tenant.sso()),
						SsoAdminHandler.VERIFICATION_HEADER, verification.outcome())));
	}

}
