package com.iotorq.lean.gateway.setup;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpCookie;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.transaction.reactive.TransactionalOperator;
import org.springframework.util.MultiValueMap;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilterChain;

import com.iotorq.lean.gateway.audit.AuditLog;
import com.iotorq.lean.gateway.credentials.SigningCertificate;
import com.iotorq.lean.gateway.credentials.SigningCertificates;
import com.iotorq.lean.gateway.observability.RequestLogContext;
import com.iotorq.lean.gateway.onboarding.SsoVerification;
import com.iotorq.lean.gateway.onboarding.SsoVerifications;
import com.iotorq.lean.gateway.onboarding.SsoVerifier;
import com.iotorq.lean.gateway.ratelimit.RequestRateLimiter;
import com.iotorq.lean.gateway.secrets.SealedSecret;
import com.iotorq.lean.gateway.secrets.SecretCipher;
import com.iotorq.lean.gateway.sso.provider.IdentityProvider;
import com.iotorq.lean.gateway.sso.provider.IdentityProviders;
import com.iotorq.lean.gateway.tenant.SsoSettings;
import com.iotorq.lean.gateway.tenant.Tenant;
import com.iotorq.lean.gateway.tenant.TenantAttributes;
import com.iotorq.lean.gateway.tenant.TenantRegistry;
import com.iotorq.lean.gateway.web.ClientNetwork;
import com.iotorq.lean.gateway.web.ErrorCode;
import com.iotorq.lean.gateway.web.GatewayException;
import com.iotorq.lean.gateway.web.GatewayPaths;

/**
 * The self-service setup page, answered before Spring Security (like the account pages)
 * and for organisations with or without SSO:
 * <ul>
 * <li>{@code GET /oauth/setup/<token>} exchanges a setup link for a setup session (a
 * random id in a host-only, HttpOnly, SameSite=Strict cookie; the session itself in
 * PostgreSQL) and redirects to {@code /oauth/setup}, so the token leaves the address bar,
 * the history and {@code Referer}. A link has one setup session: opened again while
 * nothing was done in that session yet (mail scanners fetch links before their reader
 * clicks), it replaces it; once the draft was touched it does not open again. An unknown
 * link (or another organisation's) is 404, an expired or revoked one, or one whose setup
 * has started, 410;</li>
 * <li>{@code GET /oauth/setup} shows the page; {@code POST /oauth/setup} with
 * {@code action} {@code verify}, {@code certificate} (generate the draft's certificate),
 * {@code consent}, {@code test} or {@code activate} and the session's CSRF token does one
 * step, then redirects back (or shows the page with what to correct);</li>
 * <li>{@code GET /oauth/setup/certificate.cer} downloads the draft's certificate (the
 * public part; its private key never leaves the gateway), to that setup session
 * only.</li>
 * </ul>
 * A certificate draft's certificate is generated PENDING by {@link SigningCertificates},
 * as the admin API does, is verified and tested without changing its status, and becomes
 * ACTIVE (the previous one RETIRED) only on Activate, in the transaction that saves the
 * settings. The trips to the provider (admin consent, test sign-in) are
 * {@link SetupProviderTrips}; their answers arrive at {@code /oauth/complete/}, where
 * {@link #callback} takes them. Every step is audited as done "via setup link {id}".
 * Starting a flow, exchanging a link and every POST count against a per-client budget of
 * the size of the sign-in limit.
 */
public final class SetupPagesFilter {

	private static final Logger logger = LoggerFactory.getLogger(SetupPagesFilter.class);

	/** Validity of a certificate generated on the setup page: the admin API's default. */
	static final int CERTIFICATE_VALID_DAYS = 730;

	/** The DER certificate file's media type (RFC 2585). */
	static final MediaType PKIX_CERT = MediaType.parseMediaType("application/pkix-cert");

	/**
	 * The setup session's cookie: host-only, HttpOnly, SameSite=Strict, path
	 * {@code /oauth/setup}.
	 */
	static final String SESSION_COOKIE = "LEAN_SETUP";

	/** The form field carrying the session's CSRF token. */
	static final String CSRF_FIELD = "csrf";

	private final SetupLinkRepository links;

	private final SetupSessionRepository sessions;

	private final SsoVerifier verifier;

	private final SsoVerifications verifications;

	private final IdentityProviders providers;

	private final SecretCipher cipher;

	private final TenantRegistry registry;

	private final AuditLog audit;

	private final TransactionalOperator transaction;

	private final RequestRateLimiter limiter;

	private final int perMinute;

	private final SetupProperties properties;

	private final Clock clock;

	private final List<SetupCredentialForm> credentialForms;

	private final SetupProviderTrips trips;

	private final SigningCertificates certificates;

	public SetupPagesFilter(SetupLinkRepository links, SetupSessionRepository sessions, SetupSignIns signIns,
			SsoVerifier verifier, SsoVerifications verifications, IdentityProviders providers, SecretCipher cipher,
			TenantRegistry registry, AuditLog audit, TransactionalOperator transaction, RequestRateLimiter limiter,
			int perMinute, SetupProperties properties, SigningCertificates certificates, Clock clock) {
		this.links = links;
		this.sessions = sessions;
		this.verifier = verifier;
		this.verifications = verifications;
		this.providers = providers;
		this.cipher = cipher;
		this.registry = registry;
		this.audit = audit;
		this.transaction = transaction;
		this.limiter = limiter;
		this.perMinute = perMinute;
		this.properties = properties;
		this.clock = clock;
		this.certificates = certificates;
		this.credentialForms = List.of(new ClientSecretForm(providers, clock), new CertificateForm());
		this.trips = new SetupProviderTrips(sessions, signIns, providers, audit, properties, clock);
	}

	/**
	 * At {@code /oauth/complete/}: finishes a trip to the provider that this setup page
	 * started.
	 * @return whether it was one (and has been answered)
	 */
	public Mono<Boolean> callback(ServerWebExchange exchange) {
		return this.trips.callback(exchange);
	}

	/** Answers every request for {@code /oauth/setup} and the paths below it. */
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		String path = exchange.getRequest().getPath().value();
		Tenant tenant = TenantAttributes.required(exchange);
		HttpMethod method = exchange.getRequest().getMethod();
		ServerHttpResponse response = exchange.getResponse();
		response.getHeaders().set("Referrer-Policy", "no-referrer");
		response.getHeaders().set("X-Content-Type-Options", "nosniff");
		response.getHeaders().set("X-Frame-Options", "DENY");
		if (path.equals(GatewayPaths.SETUP)) {
			if (HttpMethod.GET.equals(method)) {
				return withSession(exchange, tenant,
						session -> show(exchange, tenant, session, HttpStatus.OK, Map.of(), Map.of()));
			}
			if (HttpMethod.POST.equals(method)) {
				return limited(exchange, tenant).then(exchange.getFormData())
					.flatMap(form -> withSession(exchange, tenant, session -> post(exchange, tenant, session, form)));
			}
			return Mono.error(new GatewayException(ErrorCode.METHOD_NOT_ALLOWED));
		}
		if (path.equals(CertificateForm.DOWNLOAD)) {
			if (!HttpMethod.GET.equals(method)) {
				return Mono.error(new GatewayException(ErrorCode.METHOD_NOT_ALLOWED));
			}
			return limited(exchange, tenant)
				.then(Mono.defer(() -> withSession(exchange, tenant, session -> download(exchange, tenant, session))));
		}
		String token = path.substring(GatewayPaths.SETUP.length() + 1);
		if (!HttpMethod.GET.equals(method)) {
			return Mono.error(new GatewayException(ErrorCode.METHOD_NOT_ALLOWED));
		}
		return limited(exchange, tenant).then(Mono.defer(() -> open(exchange, tenant, token)));
	}

	/** {@code GET /oauth/setup/<token>}: the link, once, for a setup session. */
	private Mono<Void> open(ServerWebExchange exchange, Tenant tenant, String token) {
		if (token.contains("/") || !SetupTokens.wellFormed(token)) {
			return SetupErrors.unknownLink(exchange);
		}
		return either(this.links.findByToken(tenant.id(), SetupTokens.hash(token)), link -> {
			if (link.revokedAt() != null || !link.unexpired()) {
				return SetupErrors.gone(exchange, link);
			}
			String id = SetupTokens.random();
			SsoSettings live = tenant.sso();
			// renewal keeps the live credential type: a new certificate, or a new secret,
			// is entered in step 2
			var draft = new SetupSession.Draft((live != null) ? live.provider() : "entra",
					(live != null) ? live.directoryId() : null, (live != null) ? live.clientId() : null, null, null,
					(live != null) ? live.credentialType() : SsoSettings.CredentialType.CLIENT_SECRET, null);
			Mono<Boolean> first = this.links.markUsed(link.id())
				.flatMap(used -> !used ? Mono.just(false)
						: this.sessions
							.create(SetupTokens.hash(id), link.id(), SetupTokens.random(), this.properties.sessionTtl(),
									draft)
							.thenReturn(true));
			// opened before, e.g. by a mail scanner following links: its session is
			// replaced while nothing was done in it
			Mono<Boolean> again = this.sessions.replaceUntouched(link.id(), SetupTokens.hash(id), SetupTokens.random(),
					this.properties.sessionTtl());
			boolean reopening = link.usedAt() != null;
			Mono<Boolean> opened = (reopening ? again : first).filter(Boolean::booleanValue)
				.flatMap(used -> this.audit
					.record("via setup link " + link.id(), "sso.setup.opened", tenant.slug(), link.email(), null,
							Map.of("linkId", link.id(), "renewal", live != null, "reopened", reopening))
					.thenReturn(true))
				.defaultIfEmpty(false);
			return this.transaction.transactional(opened).flatMap(used -> {
				if (!used) {
					return SetupErrors.gone(exchange, link);
				}
				RequestLogContext.log(exchange,
						() -> logger.info("Setup link {} of {} opened a setup session", link.id(), tenant.slug()));
				ServerHttpResponse response = exchange.getResponse();
				response.addCookie(SetupResponses.cookie(exchange, SESSION_COOKIE, id, GatewayPaths.SETUP, "Strict",
						this.properties.sessionTtl()));
				return SetupResponses.redirect(exchange, GatewayPaths.SETUP, HttpStatus.FOUND);
			});
		}, () -> SetupErrors.unknownLink(exchange));
	}

	private Mono<Void> post(ServerWebExchange exchange, Tenant tenant, SetupSession session,
			MultiValueMap<String, String> form) {
		String csrf = form.getFirst(CSRF_FIELD);
		if (csrf == null || !SetupTokens.same(session.csrfToken(), csrf)) {
			RequestLogContext.log(exchange,
					() -> logger.warn("Refused a setup page form of {} without its CSRF token", tenant.slug()));
			return Mono.error(new GatewayException(ErrorCode.FORBIDDEN,
					"The form was not sent from this setup page, so it was refused. Reload the page and try again.",
					null));
		}
		String action = String.valueOf(form.getFirst("action"));
		if (session.activatedAt() != null && !"verify".equals(action)) {
			return SetupResponses.redirect(exchange, GatewayPaths.SETUP + "#activated", HttpStatus.SEE_OTHER);
		}
		return switch (action) {
			case "verify" -> verify(exchange, tenant, session, form);
			case CertificateForm.GENERATE -> generate(exchange, tenant, session, form);
			case "consent" -> this.trips.consent(exchange, tenant, session);
			case "test" -> this.trips.test(exchange, tenant, session);
			case "activate" -> activate(exchange, tenant, session, form);
			default -> Mono
				.error(new GatewayException(ErrorCode.BAD_REQUEST, "The setup page does not know that step.", null));
		};
	}

	/**
	 * Step 2: keeps the draft (the live settings untouched) and checks it at the
	 * provider.
	 */
	private Mono<Void> verify(ServerWebExchange exchange, Tenant tenant, SetupSession session,
			MultiValueMap<String, String> form) {
		return draftCertificate(tenant, session.draft())
			.flatMap(certificate -> verify(exchange, tenant, session, form, certificate.orElse(null)));
	}

	private Mono<Void> verify(ServerWebExchange exchange, Tenant tenant, SetupSession session,
			MultiValueMap<String, String> form, @Nullable SigningCertificate certificate) {
		SetupSession.Draft draft = session.draft();
		IdentityProvider provider = this.providers.get(draft.provider());
		Map<String, String> errors = new LinkedHashMap<>();
		String directoryId = trimmed(form.getFirst("entraTenantId"));
		String clientId = trimmed(form.getFirst("clientId"));
		if (directoryId == null) {
			errors.put("entraTenantId", "Enter the Directory (tenant) ID.");
		}
		else {
			provider.checkDirectoryId(directoryId)
				.ifPresent(problem -> errors.put("entraTenantId", "This " + problem + "."));
		}
		if (clientId == null) {
			errors.put("clientId", "Enter the Application (client) ID.");
		}
		else {
			provider.checkClientId(clientId).ifPresent(problem -> errors.put("clientId", "This " + problem + "."));
		}
		SetupCredentialForm credential = this.credentialForms.stream()
			.filter(candidate -> candidate.kind().equals(form.getFirst("credential")))
			.findFirst()
			.orElse(this.credentialForms.get(0));
		SetupCredentialForm.Entered entered = credential.read(form, draft, certificate, errors);
		if (!errors.isEmpty() || entered == null || directoryId == null || clientId == null) {
			Map<String, String> typed = new LinkedHashMap<>();
			typed.put("entraTenantId", (directoryId != null) ? directoryId : "");
			typed.put("clientId", (clientId != null) ? clientId : "");
			return show(exchange, tenant, session, HttpStatus.UNPROCESSABLE_CONTENT, errors, typed);
		}
		boolean withCertificate = credential.type() == SsoSettings.CredentialType.CERTIFICATE;
		SealedSecret secret = (entered.secret() != null) ? this.cipher.seal(entered.secret(), tenant.id().toString())
				: draft.clientSecret();
		// a certificate draft keeps a secret entered before (switching back needs no new
		// one)
		var next = new SetupSession.Draft(draft.provider(), directoryId.toLowerCase(Locale.ROOT),
				clientId.toLowerCase(Locale.ROOT), secret,
				withCertificate ? draft.clientSecretExpiresAt() : entered.expiresAt(), credential.type(),
				draft.certificateId());
		SsoSettings settings = SetupSignIns.settings(next, SsoSettings.Mode.REQUIRED,
				SsoSettings.Provisioning.EXISTING_ONLY, tenant.sso(), this.clock.instant());
		// a certificate is tried as it is: it becomes ACTIVE only on Activate
		Mono<SsoVerification> verified = (withCertificate && certificate != null)
				? this.verifier.verifyWith(tenant, settings, certificate) : this.verifier.verify(tenant, settings);
		return verified
			.flatMap(verification -> this.sessions.saveDraft(session.idHash(), next, verification)
				.then(this.audit.record(session.actor(), "sso.setup.verified", tenant.slug(), null, null,
						new DraftAudit(next.directoryId(), next.clientId(), next.credentialType().value(),
								withCertificate ? String.valueOf(next.certificateId()) : null, entered.secret() != null,
								next.clientSecretExpiresAt(), verification.outcome()))))
			.then(SetupResponses.redirect(exchange, GatewayPaths.SETUP + "#step-2", HttpStatus.SEE_OTHER));
	}

	/**
	 * Step 2, "Use a certificate": generates the draft's certificate for the organisation
	 * (PENDING, as {@code POST /admin/tenants/{slug}/sso/certificates} does, audited via
	 * the setup link) and makes it the draft's credential. A draft that has a certificate
	 * keeps it: pressing twice makes no second one.
	 */
	private Mono<Void> generate(ServerWebExchange exchange, Tenant tenant, SetupSession session,
			MultiValueMap<String, String> form) {
		SetupSession.Draft draft = session.draft();
		IdentityProvider provider = this.providers.get(draft.provider());
		// the IDs typed so far are kept when they are well-formed, so the page does not
		// lose them
		String directoryId = trimmed(form.getFirst("entraTenantId"));
		String clientId = trimmed(form.getFirst("clientId"));
		String nextDirectory = (directoryId != null && provider.checkDirectoryId(directoryId).isEmpty())
				? directoryId.toLowerCase(Locale.ROOT) : draft.directoryId();
		String nextClient = (clientId != null && provider.checkClientId(clientId).isEmpty())
				? clientId.toLowerCase(Locale.ROOT) : draft.clientId();
		Mono<Void> generated = draftCertificate(tenant, draft).flatMap(existing -> {
			Mono<UUID> certificate = existing.isPresent() ? Mono.just(existing.get().id())
					: this.certificates.create(session.actor(), tenant, CERTIFICATE_VALID_DAYS).map(created -> {
						RequestLogContext.log(exchange,
								() -> logger.info("Setup link {} of {} generated certificate {}", session.linkId(),
										tenant.slug(), created.thumbprintSha1()));
						return created.id();
					});
			return certificate.flatMap(id -> this.sessions.saveDraft(session.idHash(),
					new SetupSession.Draft(draft.provider(), nextDirectory, nextClient, draft.clientSecret(),
							draft.clientSecretExpiresAt(), SsoSettings.CredentialType.CERTIFICATE, id),
					null));
		});
		return this.transaction.transactional(generated)
			.then(SetupResponses.redirect(exchange, GatewayPaths.SETUP + "#certificate", HttpStatus.SEE_OTHER));
	}

	/**
	 * {@code GET /oauth/setup/certificate.cer}: the draft's certificate, DER, to upload
	 * to the app registration.
	 */
	private Mono<Void> download(ServerWebExchange exchange, Tenant tenant, SetupSession session) {
		return draftCertificate(tenant, session.draft()).flatMap(found -> {
			if (found.isEmpty()) {
				return SetupErrors.noCertificate(exchange);
			}
			SigningCertificate certificate = found.get();
			ServerHttpResponse response = exchange.getResponse();
			response.setStatusCode(HttpStatus.OK);
			response.getHeaders().setContentType(PKIX_CERT);
			response.getHeaders().setCacheControl("no-store");
			response.getHeaders()
				.setContentDisposition(ContentDisposition.attachment()
					.filename("iotorq-lean-" + tenant.slug() + "-" + certificate.thumbprintSha1() + ".cer")
					.build());
			response.getHeaders().setContentLength(certificate.der().length);
			return response.writeWith(Mono.fromSupplier(() -> response.bufferFactory().wrap(certificate.der())));
		});
	}

	/**
	 * The draft's certificate while it can still sign (PENDING or ACTIVE), of this
	 * organisation only.
	 */
	private Mono<Optional<SigningCertificate>> draftCertificate(Tenant tenant, SetupSession.Draft draft) {
		UUID id = draft.certificateId();
		if (id == null) {
			return Mono.just(Optional.empty());
		}
		return this.certificates.find(tenant, id)
			.filter(certificate -> certificate.status() != SigningCertificate.Status.RETIRED)
			.map(Optional::of)
			.defaultIfEmpty(Optional.empty());
	}

	/**
	 * Step 5: the draft goes live, as {@code PUT /admin/tenants/{slug}/sso} would make
	 * it.
	 */
	private Mono<Void> activate(ServerWebExchange exchange, Tenant tenant, SetupSession session,
			MultiValueMap<String, String> form) {
		SsoSettings.Mode mode = parse(SsoSettings.Mode.class, form.getFirst("mode"));
		SsoSettings.Provisioning provisioning = parse(SsoSettings.Provisioning.class, form.getFirst("provisioning"));
		if (mode == null || provisioning == null) {
			return Mono.error(new GatewayException(ErrorCode.BAD_REQUEST, "Choose a mode and a provisioning.", null));
		}
		if (!session.testedOk()) {
			return SetupResponses.redirect(exchange, GatewayPaths.SETUP + "#step-4", HttpStatus.SEE_OTHER);
		}
		SetupSession.Draft draft = session.draft();
		SsoSettings settings = SetupSignIns.settings(draft, mode, provisioning, tenant.sso(), this.clock.instant());
		// a certificate draft: its certificate becomes ACTIVE (the previous one RETIRED)
		// with the settings
		Mono<Boolean> credential = !draft.usesCertificate() ? Mono.just(true)
				: draftCertificate(tenant, draft)
					.flatMap(found -> found
						.map(certificate -> (certificate.status() == SigningCertificate.Status.ACTIVE) ? Mono.just(true)
								: this.certificates.activate(session.actor(), tenant, certificate))
						.orElse(Mono.just(false)))
					.flatMap(ready -> ready ? Mono.just(true)
							: Mono.error(new GatewayException(ErrorCode.BAD_REQUEST,
									"The draft's certificate was withdrawn meanwhile. Generate a new certificate in "
											+ "step 2, upload it, verify and test again.",
									null)));
		Mono<Tenant> activated = this.sessions.markActivated(session.idHash(), session.draftVersion())
			.filter(Boolean::booleanValue)
			.flatMap(marked -> credential)
			.flatMap(ready -> this.registry.saveSso(session.actor(), tenant.slug(), settings,
					draft.clientSecret() != null && !draft.usesCertificate()));
		return this.transaction.transactional(activated).flatMap(saved -> {
			RequestLogContext.log(exchange,
					() -> logger.info("SSO of {} activated via setup link {}", tenant.slug(), session.linkId()));
			// the admin API shows the last verification; best effort, the settings are
			// live either way
			return this.verifications.verifyAndRecord(saved).then().onErrorResume(ex -> Mono.empty());
		}).then(SetupResponses.redirect(exchange, GatewayPaths.SETUP + "#activated", HttpStatus.SEE_OTHER));
	}

	private Mono<Void> show(ServerWebExchange exchange, Tenant tenant, SetupSession session, HttpStatus status,
			Map<String, String> errors, Map<String, String> entered) {
		return draftCertificate(tenant, session.draft()).flatMap(
				certificate -> SetupPage.write(exchange, status, tenant, session, SetupResponses.callbackUri(exchange),
						this.credentialForms, certificate.orElse(null), errors, entered));
	}

	private Mono<Void> withSession(ServerWebExchange exchange, Tenant tenant,
			java.util.function.Function<SetupSession, Mono<Void>> answer) {
		HttpCookie cookie = exchange.getRequest().getCookies().getFirst(SESSION_COOKIE);
		if (cookie == null || !SetupTokens.wellFormed(cookie.getValue())) {
			return SetupErrors.noSession(exchange);
		}
		return either(this.sessions.find(SetupTokens.hash(cookie.getValue()), tenant.id()), answer,
				() -> SetupErrors.noSession(exchange));
	}

	private Mono<Void> limited(ServerWebExchange exchange, Tenant tenant) {
		var bucket = new RequestRateLimiter.Bucket("setup:" + tenant.id() + ":" + ClientNetwork.of(exchange),
				this.perMinute / 60.0, this.perMinute);
		return this.limiter.acquire(bucket)
			.flatMap(decision -> decision.allowed() ? Mono.<Void>empty()
					: Mono.error(new GatewayException(ErrorCode.TOO_MANY_REQUESTS,
							"Too many setup requests came from your address in a short time.", null,
							decision.retryAfterSeconds())));
	}

	private static @Nullable String trimmed(@Nullable String value) {
		return (value == null || value.isBlank()) ? null : value.strip();
	}

	private static <E extends Enum<E>> @Nullable E parse(Class<E> type, @Nullable String value) {
		if (value == null) {
			return null;
		}
		try {
			return Enum.valueOf(type, value);
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
	}

	/**
	 * One answer or the other (the fallback never runs after an answer that completed
	 * empty).
	 */
	static <T> Mono<Void> either(Mono<T> found, java.util.function.Function<T, Mono<Void>> answer,
			java.util.function.Supplier<Mono<Void>> otherwise) {
		return found.map(java.util.Optional::of)
			.defaultIfEmpty(java.util.Optional.empty())
			.flatMap(value -> value.isPresent() ? answer.apply(value.get()) : otherwise.get());
	}

	/**
	 * The audited draft: never the secret, only whether one was entered; the certificate
	 * by id.
	 */
	record DraftAudit(@Nullable String directoryId, @Nullable String clientId, String credentialType,
			@Nullable String certificateId, boolean newSecret, java.time.@Nullable LocalDate clientSecretExpiresAt,
			String verification) {
	}

}
