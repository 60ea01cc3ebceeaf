package com.iotorq.lean.gateway.admin;

import java.time.Clock;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

import com.iotorq.lean.gateway.onboarding.SsoVerification;
import com.iotorq.lean.gateway.onboarding.SsoVerifications;
import com.iotorq.lean.gateway.secrets.SealedSecret;
import com.iotorq.lean.gateway.secrets.SecretCipher;
import com.iotorq.lean.gateway.sso.provider.IdentityProvider;
import com.iotorq.lean.gateway.sso.provider.IdentityProviders;
import com.iotorq.lean.gateway.tenant.OidcOptions;
import com.iotorq.lean.gateway.tenant.SsoSettings;
import com.iotorq.lean.gateway.tenant.Tenant;
import com.iotorq.lean.gateway.tenant.TenantRegistry;
import com.iotorq.lean.gateway.tenant.TenantRepository;

/**
 * {@code /admin/tenants/{slug}/sso}: LEAN support enters the three credentials the help
 * article collects (Tenant ID, Client ID, Client Secret; for a generic OpenID Connect
 * provider the issuer instead of the Tenant ID, and its options), and turns SSO off
 * again. Which fields a provider has is the provider's to say
 * ({@link IdentityProvider#directoryIdField()}, {@link IdentityProvider#optionFields()}).
 * The secret is sealed before it is stored and never returned. With
 * {@code credentialType} {@code certificate} the organisation's ACTIVE certificate
 * authenticates instead and no secret is needed; a secret entered before is kept, so
 * switching back needs none.
 */
public final class SsoAdminHandler {

	private static final Logger logger = LoggerFactory.getLogger(SsoAdminHandler.class);

	private final TenantRepository tenants;

	private final TenantRegistry registry;

	private final IdentityProviders providers;

	private final SecretCipher cipher;

	private final AdminResponses responses;

	private final Clock clock;

	private final SsoVerifications verifications;

	public SsoAdminHandler(TenantRepository tenants, TenantRegistry registry, IdentityProviders providers,
			SecretCipher cipher, AdminResponses responses, Clock clock, SsoVerifications verifications) {
		this.tenants = tenants;
		this.registry = registry;
		this.providers = providers;
		this.cipher = cipher;
		this.responses = responses;
		this.clock = clock;
		this.verifications = verifications;
	}

	/**
	 * Saves the settings, then (unless {@code ?verify=false}) verifies them against the
	 * identity provider. A failed verification does not undo the save: the answer is
	 * still 200, with the failed report in {@code sso.lastVerification} and
	 * {@code X-Lean-Verification: failed}. Support usually enters the credentials while
	 * the organisation's Entra administrator is still finishing (a secret, consent), and
	 * the provider's answer describes a moment, not the input; a 422 would suggest
	 * nothing was stored and make support send the secret again, whereas the report says
	 * exactly which credential to fix. Syntax errors are still refused with 422 first.
	 */
	public Mono<ServerResponse> put(ServerRequest request) {
		String slug = request.pathVariable("slug");
		return Mono.defer(() -> {
			boolean verify = AdminRequests.booleanParam(request, "verify", true);
			return existing(slug).zipWith(AdminRequests.body(request)).flatMap(loaded -> {
				Tenant tenant = loaded.getT1();
				Update update = read(tenant, loaded.getT2());
				return AdminRequests.actor(request)
					.flatMap(actor -> this.registry.saveSso(actor, slug, update.settings(), update.secretChanged()))
					.flatMap(saved -> verify ? this.verifications.verifyAndRecord(saved)
						.flatMap(verification -> verified(saved, verification))
						// the settings are stored whatever happens here: say so rather
						// than answer 500
						.onErrorResume(ex -> {
							logger.warn("Saved the SSO settings of {} but could not verify them: {}", slug,
									ex.toString());
							return this.responses.json(HttpStatus.OK, TenantAdminHandler.view(saved),
									VERIFICATION_HEADER, "error");
						}) : this.verifications.last(saved)
							.map(last -> TenantAdminHandler.view(saved, last))
							.defaultIfEmpty(TenantAdminHandler.view(saved))
							.flatMap(view -> this.responses.json(HttpStatus.OK, view)));
			});
		});
	}

	private Mono<ServerResponse> verified(Tenant saved, SsoVerification verification) {
		return this.responses.json(HttpStatus.OK, TenantAdminHandler.view(saved, verification), VERIFICATION_HEADER,
				verification.outcome());
	}

	/**
	 * Says whether the automatic verification of a {@code PUT} passed: {@code ok},
	 * {@code failed}, or {@code error} when it could not run at all (the settings are
	 * saved regardless).
	 */
	static final String VERIFICATION_HEADER = "X-Lean-Verification";

	public Mono<ServerResponse> delete(ServerRequest request) {
		String slug = request.pathVariable("slug");
		return AdminRequests.actor(request)
			.flatMap(actor -> this.registry.deleteSso(actor, slug))
			.switchIfEmpty(Mono.error(() -> AdminProblem.notFound("There is no organisation '" + slug + "'.")))
			.flatMap(deleted -> deleted ? ServerResponse.noContent().build()
					: Mono.error(AdminProblem.notFound("Single sign-on is not enabled for '" + slug + "'.")));
	}

	private Mono<Tenant> existing(String slug) {
		return this.tenants.findBySlug(slug)
			.switchIfEmpty(Mono.error(() -> AdminProblem.notFound("There is no organisation '" + slug + "'.")));
	}

	/**
	 * Reads and checks the whole body; throws {@link AdminProblem} listing every
	 * violation.
	 */
	private Update read(Tenant tenant, String body) {
		SsoSettings current = tenant.sso();
		Set<String> allowed = new HashSet<>(SHARED_FIELDS);
		allowed.addAll(this.providers.fields());
		JsonFields probe = JsonFields.parse(body, allowed);
		String type = probe.string("provider", true, 1, 32);
		IdentityProvider provider = (type != null) ? this.providers.find(type).orElse(null) : null;
		if (type != null && provider == null) {
			probe.reject("provider", "must be one of " + String.join(", ", new TreeSet<>(this.providers.types())));
		}
		// each provider names its own fields; another provider's are refused rather than
		// ignored
		String directoryField = (provider != null) ? provider.directoryIdField() : null;
		if (provider != null) {
			for (String field : this.providers.fields()) {
				if (probe.has(field) && !field.equals(directoryField) && !provider.optionFields().contains(field)) {
					probe.reject(field, "is not a setting of provider " + type);
				}
			}
		}
		String directoryId = (directoryField != null) ? probe.string(directoryField, true, 1, 512) : null;
		OidcOptions options = (provider != null) ? provider.readOptions(probe,
				(current != null && current.provider().equals(type)) ? current.oidc() : null) : null;
		String clientId = probe.string("clientId", true, 1, 128);
		// omitted keeps the current type (client_secret for new settings)
		SsoSettings.CredentialType credentialType = credentialType(probe, current);
		// a certificate needs no secret; a secret needs one entered now or before
		String secret = probe.string("clientSecret", credentialType == SsoSettings.CredentialType.CLIENT_SECRET
				&& (current == null || current.clientSecret() == null), 1, 1024);
		LocalDate expiresAt = date(probe, "clientSecretExpiresAt");
		SsoSettings.Mode mode = probe.oneOf("mode", SsoSettings.Mode.class, true);
		SsoSettings.Provisioning provisioning = probe.oneOf("provisioning", SsoSettings.Provisioning.class, true);
		// omitted keeps the current list, so a client that does not know the field cannot
		// lift the restriction
		List<String> allowedGroups = probe.stringList("allowedGroups", 500, 128);
		// omitted keeps the current choice too
		Boolean linkByUsername = probe.bool("linkByUsername");
		if (provider != null) {
			if (directoryField != null && directoryId != null) {
				provider.checkDirectoryId(directoryId.strip())
					.ifPresent(problem -> probe.reject(directoryField, problem));
			}
			if (clientId != null) {
				provider.checkClientId(clientId.strip()).ifPresent(problem -> probe.reject("clientId", problem));
			}
			if (secret != null) {
				provider.checkClientSecret(secret).ifPresent(problem -> probe.reject("clientSecret", problem));
			}
			if (allowedGroups != null) {
				for (int i = 0; i < allowedGroups.size(); i++) {
					String field = "allowedGroups[" + i + "]";
					provider.checkGroupId(allowedGroups.get(i)).ifPresent(problem -> probe.reject(field, problem));
				}
			}
		}
		if (provider != null && credentialType == SsoSettings.CredentialType.CERTIFICATE
				&& !provider.acceptsCertificateCredentials()) {
			probe.reject("credentialType",
					"certificate credentials are not available for provider " + type + " yet; use client_secret");
		}
		if (secret != null && !secret.equals(secret.strip())) {
			probe.reject("clientSecret", "must not start or end with white space (was it copied with a line break?)");
		}
		if (expiresAt != null && expiresAt.isBefore(LocalDate.now(this.clock))) {
			probe.reject("clientSecretExpiresAt",
					"is in the past: that secret has expired already; create a new one at the identity provider");
		}
		probe.validate();
		boolean newSecret = secret != null;
		SealedSecret sealed = (secret != null) ? this.cipher.seal(secret, tenant.id().toString())
				: ((current != null) ? current.clientSecret() : null);
		LocalDate expiry = (expiresAt != null || newSecret) ? expiresAt
				: ((current != null) ? current.clientSecretExpiresAt() : null);
		List<String> groups = (allowedGroups != null) ? allowedGroups
				: ((current != null) ? current.allowedGroups() : List.of());
		boolean byUsername = (linkByUsername != null) ? linkByUsername : (current != null && current.linkByUsername());
		SsoSettings settings = new SsoSettings(JsonFields.validated(type), JsonFields.validated(directoryId).strip(),
				JsonFields.validated(clientId).strip(), sealed, expiry, JsonFields.validated(mode),
				JsonFields.validated(provisioning), this.clock.instant(), groups, byUsername, credentialType, options);
		return new Update(settings, newSecret);
	}

	/**
	 * The fields every provider has; each provider adds its directory field and options.
	 */
	private static final Set<String> SHARED_FIELDS = Set.of("provider", "clientId", "clientSecret",
			"clientSecretExpiresAt", "mode", "provisioning", "allowedGroups", "linkByUsername", "credentialType");

	private static SsoSettings.CredentialType credentialType(JsonFields probe, @Nullable SsoSettings current) {
		String text = probe.string("credentialType", false, 1, 32);
		if (text == null) {
			return (current != null) ? current.credentialType() : SsoSettings.CredentialType.CLIENT_SECRET;
		}
		SsoSettings.CredentialType type = SsoSettings.CredentialType.of(text);
		if (type == null) {
			probe.reject("credentialType", "must be one of client_secret, certificate");
			return (current != null) ? current.credentialType() : SsoSettings.CredentialType.CLIENT_SECRET;
		}
		return type;
	}

	private static @Nullable LocalDate date(JsonFields fields, String field) {
		String text = fields.string(field, false, 10, 10);
		if (text == null) {
			return null;
		}
		try {
			return LocalDate.parse(text);
		}
		catch (DateTimeParseException ex) {
			fields.reject(field, "must be a date as YYYY-MM-DD");
			return null;
		}
	}

	private record Update(SsoSettings settings, boolean secretChanged) {
	}

}
