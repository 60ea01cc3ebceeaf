package com.iotorq.lean.gateway.admin;

import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

import com.iotorq.lean.gateway.account.Account;
import com.iotorq.lean.gateway.account.AccountRegistry;
import com.iotorq.lean.gateway.account.AccountRepository;
import com.iotorq.lean.gateway.activation.AccountActivation;
import com.iotorq.lean.gateway.tenant.Tenant;
import com.iotorq.lean.gateway.tenant.TenantRepository;

/**
 * {@code POST /admin/tenants/{slug}/users/{email}/activate} makes an account ACTIVE (e.g.
 * when the person never got the mail); {@code DELETE /admin/tenants/{slug}/users/{email}}
 * makes it DISABLED. Neither deletes anything: the account, its sign-in history and the
 * audit stay. Both answer 200 with the account, and make its unused activation links
 * unusable.
 */
public final class AccountStatusAdminHandler {

	private final TenantRepository tenants;

	private final AccountRepository accounts;

	private final AccountRegistry registry;

	private final AccountActivation activation;

	private final AdminResponses responses;

	public AccountStatusAdminHandler(TenantRepository tenants, AccountRepository accounts, AccountRegistry registry,
			AccountActivation activation, AdminResponses responses) {
		this.tenants = tenants;
		this.accounts = accounts;
		this.registry = registry;
		this.activation = activation;
		this.responses = responses;
	}

	public Mono<ServerResponse> activate(ServerRequest request) {
		return change(request, Account.Status.ACTIVE);
	}

	public Mono<ServerResponse> disable(ServerRequest request) {
		return change(request, Account.Status.DISABLED);
	}

	/**
	 * {@code DELETE /admin/tenants/{slug}/users/{email}/link}: the account is no longer
	 * linked to its identity, so the next sign-in whose email the directory vouches for
	 * links it (e.g. a person deleted and re-created in Entra, with a new object id). Its
	 * unused activation links stop working in the same transaction
	 * ({@link AccountRegistry#unlink}). 200 with the account.
	 */
	public Mono<ServerResponse> unlink(ServerRequest request) {
		String slug = request.pathVariable("slug");
		String email = request.pathVariable("email");
		return this.tenants.findBySlug(slug)
			.switchIfEmpty(Mono.error(() -> AdminProblem.notFound("There is no organisation '" + slug + "'.")))
			.flatMap(
					tenant -> AdminRequests.actor(request).flatMap(actor -> this.registry.unlink(actor, tenant, email)))
			.switchIfEmpty(Mono
				.error(() -> AdminProblem.notFound("There is no account '" + email + "' in this organisation.")))
			.flatMap(account -> this.responses.json(HttpStatus.OK, AccountAdminHandler.view(account)));
	}

	private Mono<ServerResponse> change(ServerRequest request, Account.Status status) {
		String slug = request.pathVariable("slug");
		String email = request.pathVariable("email");
		return this.tenants.findBySlug(slug)
			.switchIfEmpty(Mono.error(() -> AdminProblem.notFound("There is no organisation '" + slug + "'.")))
			.flatMap(tenant -> this.accounts.findByEmail(tenant.id(), email)
				.switchIfEmpty(Mono
					.error(() -> AdminProblem.notFound("There is no account '" + email + "' in this organisation.")))
				.flatMap(account -> save(request, tenant, account, status)))
			.flatMap(account -> this.responses.json(HttpStatus.OK, AccountAdminHandler.view(account)));
	}

	private Mono<Account> save(ServerRequest request, Tenant tenant, Account account, Account.Status status) {
		if (account.status() == status) {
			return Mono.just(account);
		}
		return AdminRequests.actor(request)
			.flatMap(actor -> this.registry.save(actor, tenant, account.email(), null, status))
			.flatMap(saved -> this.activation.revokeLinks(saved.account().id()).thenReturn(saved.account()));
	}

}
