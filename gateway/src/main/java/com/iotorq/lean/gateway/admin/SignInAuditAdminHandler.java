package com.iotorq.lean.gateway.admin;

import java.util.List;

import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

import com.iotorq.lean.gateway.audit.SignInEvent;
import com.iotorq.lean.gateway.audit.SignInEventRepository;
import com.iotorq.lean.gateway.tenant.TenantRepository;

/**
 * {@code GET /admin/tenants/{slug}/signins?limit=50[&email=]}: the organisation's latest
 * sign-in attempts, newest first, so support can answer "why can't Alice sign in?"
 * without logs.
 */
public final class SignInAuditAdminHandler {

	private final TenantRepository tenants;

	private final SignInEventRepository events;

	private final AdminResponses responses;

	public SignInAuditAdminHandler(TenantRepository tenants, SignInEventRepository events, AdminResponses responses) {
		this.tenants = tenants;
		this.events = events;
		this.responses = responses;
	}

	public Mono<ServerResponse> list(ServerRequest request) {
		String slug = request.pathVariable("slug");
		return Mono.defer(() -> {
			int limit = AdminRequests.intParam(request, "limit", 50, 1, 500);
			String email = request.queryParam("email").filter(value -> !value.isBlank()).orElse(null);
			return this.tenants.findBySlug(slug)
				.switchIfEmpty(Mono.error(() -> AdminProblem.notFound("There is no organisation '" + slug + "'.")))
				.flatMap(tenant -> this.events.recent(tenant.id(), email, limit).collectList())
				.flatMap(items -> this.responses.json(HttpStatus.OK, new Listing(items)));
		});
	}

	record Listing(List<SignInEvent> items) {
	}

}
