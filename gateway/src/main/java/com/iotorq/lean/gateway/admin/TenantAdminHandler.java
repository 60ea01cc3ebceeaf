package com.iotorq.lean.gateway.admin;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

import com.iotorq.lean.gateway.config.GatewayProperties;
import com.iotorq.lean.gateway.onboarding.SsoVerification;
import com.iotorq.lean.gateway.onboarding.SsoVerifications;
import com.iotorq.lean.gateway.tenant.OidcOptions;
import com.iotorq.lean.gateway.tenant.SsoSettings;
import com.iotorq.lean.gateway.tenant.Tenant;
import com.iotorq.lean.gateway.tenant.TenantHost;
import com.iotorq.lean.gateway.tenant.TenantRegistry;
import com.iotorq.lean.gateway.tenant.TenantRepository;

/**
 * {@code /admin/tenants}: register, change, list and remove organisations.
 */
public final class TenantAdminHandler {

	private static final Set<String> FIELDS = Set.of("displayName", "backendUri", "requestsPerSecond",
			"technicalContactEmail");

	/** Bounds of an organisation's own request rate limit. */
	private static final int MAX_REQUESTS_PER_SECOND = 1_000_000;

	private static final int MAX_PAGE_SIZE = 500;

	private final TenantRepository tenants;

	private final TenantRegistry registry;

	private final AdminResponses responses;

	private final Set<String> reserved;

	private final SsoVerifications verifications;

	public TenantAdminHandler(TenantRepository tenants, TenantRegistry registry, AdminResponses responses,
			GatewayProperties properties, SsoVerifications verifications) {
		this.tenants = tenants;
		this.registry = registry;
		this.responses = responses;
		this.reserved = Set.copyOf(properties.reservedSlugs());
		this.verifications = verifications;
	}

	public Mono<ServerResponse> put(ServerRequest request) {
		String slug = request.pathVariable("slug");
		return AdminRequests.body(request).flatMap(body -> {
			JsonFields fields = JsonFields.parse(body, FIELDS);
			checkSlug(slug, fields);
			String displayName = fields.string("displayName", true, 1, 200);
			if (displayName != null && displayName.isBlank()) {
				fields.reject("displayName", "must not be blank");
			}
			URI backendUri = fields.httpUri("backendUri");
			Integer requestsPerSecond = fields.integer("requestsPerSecond", 1, MAX_REQUESTS_PER_SECOND);
			// omitted keeps the current contact, so a client that does not know the field
			// cannot erase it
			boolean contactGiven = fields.has("technicalContactEmail");
			String contact = fields.mailAddress("technicalContactEmail");
			fields.validate();
			String name = JsonFields.validated(displayName).strip();
			return AdminRequests.actor(request)
				.flatMap(actor -> contactGiven
						? this.registry.save(actor, slug, name, backendUri, requestsPerSecond, contact)
						: this.registry.save(actor, slug, name, backendUri, requestsPerSecond))
				.flatMap(written -> written.created()
						? this.responses.created(URI.create("/admin/tenants/" + slug), view(written.tenant()))
						: lastVerification(written.tenant()).flatMap(verification -> this.responses.json(HttpStatus.OK,
								view(written.tenant(), verification.orElse(null)))));
		});
	}

	public Mono<ServerResponse> get(ServerRequest request) {
		String slug = request.pathVariable("slug");
		return this.tenants.findBySlug(slug)
			.switchIfEmpty(Mono.error(() -> AdminProblem.notFound("There is no organisation '" + slug + "'.")))
			.flatMap(tenant -> lastVerification(tenant)
				.flatMap(verification -> this.responses.json(HttpStatus.OK, view(tenant, verification.orElse(null)))));
	}

	private Mono<Optional<SsoVerification>> lastVerification(Tenant tenant) {
		return tenant.hasSso() ? this.verifications.last(tenant).map(Optional::of).defaultIfEmpty(Optional.empty())
				: Mono.just(Optional.empty());
	}

	public Mono<ServerResponse> list(ServerRequest request) {
		return Mono.defer(() -> listPage(request));
	}

	private Mono<ServerResponse> listPage(ServerRequest request) {
		int page = AdminRequests.intParam(request, "page", 0, 0, Integer.MAX_VALUE / MAX_PAGE_SIZE);
		int size = AdminRequests.intParam(request, "size", 50, 1, MAX_PAGE_SIZE);
		return this.tenants.findPage(page * size, size)
			.collectList()
			.flatMap(found -> this.verifications.last(found)
				.map(verifications -> found.stream()
					.map(tenant -> view(tenant, verifications.get(tenant.id())))
					.toList()))
			.zipWith(this.tenants.count())
			.flatMap(
					result -> this.responses.json(HttpStatus.OK, new Page(result.getT1(), page, size, result.getT2())));
	}

	public Mono<ServerResponse> delete(ServerRequest request) {
		String slug = request.pathVariable("slug");
		return AdminRequests.actor(request)
			.flatMap(actor -> this.registry.delete(actor, slug))
			.flatMap(deleted -> deleted ? ServerResponse.noContent().build()
					: Mono.error(AdminProblem.notFound("There is no organisation '" + slug + "'.")));
	}

	private void checkSlug(String slug, JsonFields fields) {
		if (!TenantHost.SLUG.matcher(slug).matches()) {
			fields.reject("slug", "must be one DNS label: 1 to 63 lower-case letters, digits or '-', "
					+ "not starting or ending with '-'");
		}
		else if (this.reserved.contains(slug)) {
			fields.reject("slug", "is reserved and cannot name an organisation");
		}
	}

	static TenantView view(Tenant tenant) {
		return view(tenant, null);
	}

	/**
	 * @param verification the last verification of the tenant's SSO credentials, if any
	 */
	static TenantView view(Tenant tenant, @Nullable SsoVerification verification) {
		return new TenantView(tenant.id(), tenant.slug(), tenant.displayName(), tenant.backendUri(), tenant.createdAt(),
				tenant.updatedAt(), (tenant.sso() != null) ? SsoView.of(tenant.sso(), verification) : null,
				tenant.requestsPerSecond(), tenant.technicalContactEmail());
	}

	/**
	 * An organisation as the admin API shows it; {@code sso} is null when SSO is off,
	 * {@code requestsPerSecond} when the default rate limit applies,
	 * {@code technicalContactEmail} when nobody is mailed about expiring credentials.
	 */
	record TenantView(UUID id, String slug, String displayName, @Nullable URI backendUri, Instant createdAt,
			Instant updatedAt, @Nullable SsoView sso, @Nullable Integer requestsPerSecond,
			@Nullable String technicalContactEmail) {

	}

	/**
	 * SSO settings as the admin API shows them: never the secret, only whether one is set
	 * and when it expires; with the last verification of the credentials, if any. The
	 * directory is {@code entraTenantId} for Entra and {@code issuer} for a generic
	 * OpenID Connect provider, whose options follow; members a provider does not have are
	 * left out.
	 */
	record SsoView(String provider, @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String entraTenantId,
			@JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String issuer, String clientId,
			boolean clientSecretSet, java.time.@Nullable LocalDate clientSecretExpiresAt, SsoSettings.Mode mode,
			SsoSettings.Provisioning provisioning, Instant updatedAt, List<String> allowedGroups,
			@Nullable VerificationView lastVerification, boolean linkByUsername, String credentialType,
			@JsonInclude(JsonInclude.Include.NON_NULL) @Nullable List<String> scopes,
			@JsonInclude(JsonInclude.Include.NON_NULL) OidcOptions.@Nullable Claims claims,
			@JsonInclude(JsonInclude.Include.NON_NULL) @Nullable Boolean requireVerifiedEmail,
			@JsonInclude(JsonInclude.Include.NON_NULL) @Nullable List<String> allowedEmailDomains) {

		static SsoView of(SsoSettings sso, @Nullable SsoVerification verification) {
			OidcOptions options = sso.oidc();
			boolean entra = options == null;
			return new SsoView(sso.provider(), entra ? sso.directoryId() : null, entra ? null : sso.directoryId(),
					sso.clientId(), sso.clientSecret() != null, sso.clientSecretExpiresAt(), sso.mode(),
					sso.provisioning(), sso.updatedAt(), sso.allowedGroups(),
					(verification != null) ? VerificationView.of(verification, sso) : null, sso.linkByUsername(),
					sso.credentialType().value(), (options != null) ? options.scopes() : null,
					(options != null) ? options.claims() : null,
					(options != null) ? options.requireVerifiedEmail() : null,
					(options != null) ? options.allowedEmailDomains() : null);
		}

	}

	/**
	 * A verification of SSO credentials as the admin API shows it.
	 *
	 * @param settingsChangedSince whether the settings changed after they were verified
	 * (e.g. saved with {@code ?verify=false}): the result may no longer hold
	 */
	record VerificationView(Instant verifiedAt, boolean ok, boolean settingsChangedSince,
			List<SsoVerification.Check> checks) {

		static VerificationView of(SsoVerification verification, @Nullable SsoSettings current) {
			boolean changed = current != null && !current.updatedAt().equals(verification.settingsUpdatedAt());
			return new VerificationView(verification.verifiedAt(), verification.ok(), changed, verification.checks());
		}

	}

	/** One page of a listing. */
	record Page(List<TenantView> items, int page, int size, long total) {
	}

}
