package com.iotorq.lean.gateway.admin;

import java.time.Instant;

import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

import com.iotorq.lean.gateway.scim.ScimTokens;
import com.iotorq.lean.gateway.tenant.Tenant;
import com.iotorq.lean.gateway.tenant.TenantRepository;

/**
 * The organisation's SCIM token, which its Entra administrator enters as the provisioning
 * "Secret Token": {@code POST /admin/tenants/{slug}/scim/token} creates one (201 with
 * {@code token} and {@code createdAt}; the token is shown only in this answer and
 * replaces the previous one at once), {@code DELETE} turns SCIM off for the organisation
 * (204, also when it was off). Both audited.
 */
public final class ScimTokenAdminHandler {

	private final TenantRepository tenants;

	private final ScimTokens tokens;

	private final AdminResponses responses;

	public ScimTokenAdminHandler(TenantRepository tenants, ScimTokens tokens, AdminResponses responses) {
		this.tenants = tenants;
		this.tokens = tokens;
		this.responses = responses;
	}

	public Mono<ServerResponse> create(ServerRequest request) {
		return tenant(request)
			.flatMap(tenant -> AdminRequests.actor(request).flatMap(actor -> this.tokens.issue(actor, tenant)))
			.flatMap(issued -> this.responses.json(HttpStatus.CREATED,
					new TokenView(issued.token(), issued.createdAt())));
	}

	public Mono<ServerResponse> delete(ServerRequest request) {
		return tenant(request)
			.flatMap(tenant -> AdminRequests.actor(request).flatMap(actor -> this.tokens.revoke(actor, tenant)))
			.then(ServerResponse.noContent().header("Cache-Control", "no-store").build());
	}

	private Mono<Tenant> tenant(ServerRequest request) {
		String slug = request.pathVariable("slug");
		return this.tenants.findBySlug(slug)
			.switchIfEmpty(Mono.error(() -> AdminProblem.notFound("There is no organisation '" + slug + "'.")));
	}

	/**
	 * @param token the bearer token, shown only here
	 * @param createdAt when it was created
	 */
	record TokenView(String token, Instant createdAt) {
	}

}
