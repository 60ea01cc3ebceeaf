package com.iotorq.lean.gateway.setup;

import java.net.URI;
import java.security.Principal;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.HttpStatus;
import org.springframework.transaction.reactive.TransactionalOperator;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

import com.iotorq.lean.gateway.account.EmailAddresses;
import com.iotorq.lean.gateway.admin.AdminProblem;
import com.iotorq.lean.gateway.admin.AdminResponses;
import com.iotorq.lean.gateway.admin.JsonFields;
import com.iotorq.lean.gateway.audit.AuditLog;
import com.iotorq.lean.gateway.onboarding.SetupLinkIssuer;
import com.iotorq.lean.gateway.tenant.Tenant;
import com.iotorq.lean.gateway.tenant.TenantRepository;

/**
 * {@code /admin/tenants/{slug}/sso/setup-links}: LEAN support creates a one-time link to
 * the self-service setup page for the organisation's Entra administrator ({@code POST}),
 * lists the organisation's links ({@code GET}, never a token) and revokes one
 * ({@code DELETE .../{id}}), which also ends the setup session it opened. With
 * {@code email} and SMTP configured the link is mailed too; the answer says whether it
 * was ({@code mailed}).
 */
public final class SetupLinkAdminHandler {

	private static final Logger logger = LoggerFactory.getLogger(SetupLinkAdminHandler.class);

	static final int DEFAULT_HOURS = 72;

	static final int MAX_HOURS = 168;

	private final TenantRepository tenants;

	private final SetupLinkIssuer issuer;

	private final SetupLinkRepository links;

	private final SetupMail mail;

	private final AuditLog audit;

	private final TransactionalOperator transaction;

	private final AdminResponses responses;

	public SetupLinkAdminHandler(TenantRepository tenants, SetupLinkIssuer issuer, SetupLinkRepository links,
			SetupMail mail, AuditLog audit, TransactionalOperator transaction, AdminResponses responses) {
		this.tenants = tenants;
		this.issuer = issuer;
		this.links = links;
		this.mail = mail;
		this.audit = audit;
		this.transaction = transaction;
		this.responses = responses;
	}

	public Mono<ServerResponse> create(ServerRequest request) {
		String slug = request.pathVariable("slug");
		return existing(slug).zipWith(body(request)).flatMap(loaded -> {
			Tenant tenant = loaded.getT1();
			String body = loaded.getT2();
			String email = null;
			int hours = DEFAULT_HOURS;
			if (!body.isBlank()) {
				JsonFields fields = JsonFields.parse(body, Set.of("email", "expiresInHours"));
				email = fields.string("email", false, 3, 320);
				if (email != null && !looksLikeEmail(email)) {
					fields.reject("email", "must be an email address such as it.admin@example.com");
				}
				Integer asked = fields.integer("expiresInHours", 1, MAX_HOURS);
				hours = (asked != null) ? asked : DEFAULT_HOURS;
				fields.validate();
			}
			String to = (email != null) ? EmailAddresses.normalize(email) : null;
			Duration validFor = Duration.ofHours(hours);
			return actor(request).flatMap(actor -> this.issuer.issue(actor, tenant, to, validFor))
				.flatMap(link -> mailed(tenant, to, link).flatMap(mailed -> this.responses.created(
						URI.create("/admin/tenants/" + slug + "/sso/setup-links/" + link.id()),
						new Created(link.id(), link.url(), link.expiresAt(), mailed))));
		});
	}

	public Mono<ServerResponse> list(ServerRequest request) {
		String slug = request.pathVariable("slug");
		return existing(slug)
			.flatMap(tenant -> this.links.findAll(tenant.id()).map(SetupLinkAdminHandler::view).collectList())
			.flatMap(views -> this.responses.json(HttpStatus.OK, new Listed(views)));
	}

	public Mono<ServerResponse> revoke(ServerRequest request) {
		String slug = request.pathVariable("slug");
		return Mono.fromCallable(() -> id(request.pathVariable("id"))).flatMap(id -> revoke(request, slug, id));
	}

	private Mono<ServerResponse> revoke(ServerRequest request, String slug, UUID id) {
		return existing(slug).flatMap(tenant -> actor(request).flatMap(actor -> {
			Mono<SetupLinkRepository.SetupLink> revoked = this.links.revoke(tenant.id(), id)
				.flatMap(
						link -> this.audit.record(actor, "sso.setup-link.revoked", slug, link.email(), null, view(link))
							.thenReturn(link));
			return this.transaction.transactional(revoked)
				.doOnNext(link -> logger.info("Revoked setup link {} of {}", id, slug))
				.flatMap(link -> this.responses.json(HttpStatus.OK, view(link)))
				.switchIfEmpty(Mono.defer(() -> this.links.find(tenant.id(), id)
					.flatMap(link -> this.responses.json(HttpStatus.OK, view(link)))
					.switchIfEmpty(Mono
						.error(() -> AdminProblem.notFound("There is no setup link " + id + " for '" + slug + "'.")))));
		}));
	}

	/**
	 * Mails the link when asked and possible; a failure is reported, the link stays
	 * valid.
	 */
	private Mono<Boolean> mailed(Tenant tenant, @Nullable String to, SetupLinkIssuer.IssuedSetupLink link) {
		if (to == null) {
			return Mono.just(false);
		}
		if (!this.mail.configured()) {
			logger.info("Setup link {} for {} was not mailed: no SMTP server is configured (spring.mail.host)",
					link.id(), tenant.slug());
			return Mono.just(false);
		}
		return this.mail.send(to, tenant.displayName(), link.url(), link.expiresAt())
			.thenReturn(true)
			.onErrorResume(ex -> {
				logger.warn("Could not mail setup link {} for {}: {}", link.id(), tenant.slug(), ex.toString());
				return Mono.just(false);
			});
	}

	private Mono<Tenant> existing(String slug) {
		return this.tenants.findBySlug(slug)
			.switchIfEmpty(Mono.error(() -> AdminProblem.notFound("There is no organisation '" + slug + "'.")));
	}

	private static Mono<String> body(ServerRequest request) {
		return request.bodyToMono(String.class)
			.defaultIfEmpty("")
			.onErrorMap(DataBufferLimitException.class, ex -> new AdminProblem(HttpStatus.CONTENT_TOO_LARGE,
					"Request too large", "The request body is larger than allowed.", java.util.List.of()));
	}

	private static Mono<String> actor(ServerRequest request) {
		return request.principal().map(Principal::getName).defaultIfEmpty("unknown");
	}

	private static UUID id(String text) {
		try {
			return UUID.fromString(text);
		}
		catch (IllegalArgumentException ex) {
			throw new AdminProblem(HttpStatus.NOT_FOUND, "Not found", "There is no setup link '" + text + "'.",
					java.util.List.of());
		}
	}

	private static boolean looksLikeEmail(String email) {
		int at = email.lastIndexOf('@');
		return at > 0 && at < email.length() - 1 && email.indexOf('@') == at && email.strip().equals(email)
				&& email.chars().noneMatch(Character::isWhitespace);
	}

	static LinkView view(SetupLinkRepository.SetupLink link) {
		return new LinkView(link.id(), link.email(), link.createdAt(), link.expiresAt(), link.usedAt(),
				link.revokedAt());
	}

	/**
	 * @param id the link's id
	 * @param url the link itself (shown only here, once)
	 * @param expiresAt until when it opens
	 * @param mailed whether it was mailed to {@code email}
	 */
	record Created(UUID id, String url, Instant expiresAt, boolean mailed) {
	}

	/** A link as listed: never its token. */
	record LinkView(UUID id, @Nullable String email, Instant createdAt, Instant expiresAt, @Nullable Instant usedAt,
			@Nullable Instant revokedAt) {
	}

	record Listed(java.util.List<LinkView> items) {
	}

}
