package com.iotorq.lean.gateway.admin;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.util.UriUtils;

import com.iotorq.lean.gateway.account.Account;
import com.iotorq.lean.gateway.account.AccountRegistry;
import com.iotorq.lean.gateway.account.AccountRepository;
import com.iotorq.lean.gateway.tenant.Tenant;
import com.iotorq.lean.gateway.tenant.TenantRepository;

/**
 * {@code /admin/tenants/{slug}/users}: the LEAN accounts of an organisation.
 */
public final class AccountAdminHandler {

	private static final Set<String> FIELDS = Set.of("displayName", "status", "entraObjectId");

	/** An Entra object id, as the Entra admin center shows it. */
	private static final Pattern GUID = Pattern
		.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

	/**
	 * Deliberately loose: one @, no spaces, a dot in the domain; the identity provider
	 * has the final word.
	 */
	private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");

	private final TenantRepository tenants;

	private final AccountRepository accounts;

	private final AccountRegistry registry;

	private final AdminResponses responses;

	public AccountAdminHandler(TenantRepository tenants, AccountRepository accounts, AccountRegistry registry,
			AdminResponses responses) {
		this.tenants = tenants;
		this.accounts = accounts;
		this.registry = registry;
		this.responses = responses;
	}

	public Mono<ServerResponse> put(ServerRequest request) {
		String email = request.pathVariable("email");
		return tenant(request).zipWith(AdminRequests.body(request)).flatMap(loaded -> {
			Tenant tenant = loaded.getT1();
			JsonFields fields = JsonFields.parse(loaded.getT2(), FIELDS);
			if (email.length() > 254 || !EMAIL.matcher(email).matches()) {
				fields.reject("email", "must be an email address such as ada@example.com");
			}
			String displayName = fields.string("displayName", false, 1, 200);
			Account.Status status = fields.oneOf("status", Account.Status.class, true);
			String objectId = fields.string("entraObjectId", false, 1, 64);
			if (objectId != null && !GUID.matcher(objectId.strip()).matches()) {
				fields.reject("entraObjectId", "must be the person's Object ID, a GUID as shown on their page under "
						+ "Users in the Microsoft Entra admin center");
			}
			else if (objectId != null && tenant.sso() == null) {
				fields.reject("entraObjectId", "needs single sign-on settings first (PUT /admin/tenants/"
						+ tenant.slug() + "/sso): the object id belongs to the organisation's directory");
			}
			fields.validate();
			Account.Status validStatus = JsonFields.validated(status);
			String bound = (objectId != null) ? objectId.strip().toLowerCase(Locale.ROOT) : null;
			return AdminRequests.actor(request)
				.flatMap(actor -> this.registry.save(actor, tenant, email.strip(), displayName, validStatus, bound))
				.onErrorMap(AccountRegistry.LinkConflict.class, AccountAdminHandler::conflict)
				.flatMap(saved -> saved.created()
						? this.responses.created(location(tenant, saved.account()), view(saved.account()))
						: this.responses.json(HttpStatus.OK, view(saved.account())));
		});
	}

	public Mono<ServerResponse> get(ServerRequest request) {
		String email = request.pathVariable("email");
		return tenant(request).flatMap(tenant -> this.accounts.findByEmail(tenant.id(), email))
			.switchIfEmpty(Mono
				.error(() -> AdminProblem.notFound("There is no account '" + email + "' in this organisation.")))
			.flatMap(account -> this.responses.json(HttpStatus.OK, view(account)));
	}

	public Mono<ServerResponse> list(ServerRequest request) {
		return Mono.defer(() -> {
			Account.Status status = status(request);
			int page = AdminRequests.intParam(request, "page", 0, 0, 1_000_000);
			int size = AdminRequests.intParam(request, "size", 50, 1, 500);
			return tenant(request)
				.flatMap(tenant -> this.accounts.findAll(tenant.id(), status, page * size, size)
					.map(AccountAdminHandler::view)
					.collectList())
				.flatMap(items -> this.responses.json(HttpStatus.OK, new Page(items, page, size)));
		});
	}

	static AdminProblem conflict(AccountRegistry.LinkConflict conflict) {
		return new AdminProblem(HttpStatus.CONFLICT, "Conflict",
				Objects.requireNonNull(conflict.getMessage(), "a link conflict says which link"), List.of());
	}

	private Mono<Tenant> tenant(ServerRequest request) {
		String slug = request.pathVariable("slug");
		return this.tenants.findBySlug(slug)
			.switchIfEmpty(Mono.error(() -> AdminProblem.notFound("There is no organisation '" + slug + "'.")));
	}

	private static Account.@Nullable Status status(ServerRequest request) {
		String value = request.queryParam("status").orElse(null);
		if (value == null || value.isEmpty()) {
			return null;
		}
		try {
			return Account.Status.valueOf(value);
		}
		catch (IllegalArgumentException ex) {
			throw AdminProblem
				.badRequest("Query parameter 'status' must be one of ACTIVE, PENDING_ACTIVATION, DISABLED.");
		}
	}

	private static URI location(Tenant tenant, Account account) {
		return URI.create("/admin/tenants/" + tenant.slug() + "/users/"
				+ UriUtils.encodePathSegment(account.email(), java.nio.charset.StandardCharsets.UTF_8));
	}

	static AccountView view(Account account) {
		return new AccountView(account.id(), account.email(), account.displayName(), account.status(),
				account.isLinked(), account.idpObjectId(), account.createdAt(), account.lastSignInAt());
	}

	/**
	 * An account as the admin API shows it; {@code entraObjectId} is the identity it is
	 * linked to, {@code null} while unlinked.
	 */
	record AccountView(UUID id, String email, @Nullable String displayName, Account.Status status, boolean linked,
			@Nullable String entraObjectId, Instant createdAt, @Nullable Instant lastSignInAt) {
	}

	/** One page of accounts. */
	record Page(List<AccountView> items, int page, int size) {
	}

}
