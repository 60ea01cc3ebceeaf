package com.iotorq.lean.gateway.admin;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

import com.iotorq.lean.gateway.credentials.SigningCertificate;
import com.iotorq.lean.gateway.credentials.SigningCertificates;
import com.iotorq.lean.gateway.tenant.Tenant;
import com.iotorq.lean.gateway.tenant.TenantRepository;

/**
 * {@code /admin/tenants/{slug}/sso/certificates}: certificates for signing in without a
 * client secret ({@code private_key_jwt}). LEAN support generates one (the gateway makes
 * the key pair; the private key is sealed and never leaves it), hands its
 * {@code certificate.cer} to the organisation's Entra administrator, and verifies once it
 * is uploaded, which makes it ACTIVE. Retiring removes the private key.
 */
public final class SsoCertificatesAdminHandler {

	static final int DEFAULT_VALID_DAYS = 730;

	static final int MAX_VALID_DAYS = 1095;

	/** The DER certificate file's media type (RFC 2585). */
	static final MediaType PKIX_CERT = MediaType.parseMediaType("application/pkix-cert");

	private final TenantRepository tenants;

	private final SigningCertificates certificates;

	private final AdminResponses responses;

	public SsoCertificatesAdminHandler(TenantRepository tenants, SigningCertificates certificates,
			AdminResponses responses) {
		this.tenants = tenants;
		this.certificates = certificates;
		this.responses = responses;
	}

	/**
	 * {@code POST}: {@code {"validDays"?: 1..1095}} (default 730); 201 with the new
	 * PENDING certificate.
	 */
	public Mono<ServerResponse> create(ServerRequest request) {
		String slug = request.pathVariable("slug");
		return existing(slug).zipWith(request.bodyToMono(String.class).defaultIfEmpty("")).flatMap(loaded -> {
			int validDays = validDays(loaded.getT2());
			return AdminRequests.actor(request)
				.flatMap(actor -> this.certificates.create(actor, loaded.getT1(), validDays))
				.switchIfEmpty(Mono.error(() -> AdminProblem.notFound("There is no organisation '" + slug + "'.")))
				.flatMap(certificate -> this.responses.created(
						URI.create("/admin/tenants/" + slug + "/sso/certificates/" + certificate.id()),
						CertificateView.of(certificate)));
		});
	}

	public Mono<ServerResponse> list(ServerRequest request) {
		String slug = request.pathVariable("slug");
		return existing(slug).flatMap(tenant -> this.certificates.list(tenant)
			.map(CertificateView::of)
			.collectList()
			.flatMap(items -> this.responses.json(HttpStatus.OK, new Listing(items))));
	}

	public Mono<ServerResponse> get(ServerRequest request) {
		return certificate(request).flatMap(found -> this.responses.json(HttpStatus.OK, CertificateView.of(found)));
	}

	/** The DER file to upload under Certificates &amp; secrets → Certificates. */
	public Mono<ServerResponse> download(ServerRequest request) {
		String slug = request.pathVariable("slug");
		return certificate(request).flatMap(found -> ServerResponse.ok()
			.contentType(PKIX_CERT)
			.header("Cache-Control", "no-store")
			.headers(headers -> headers.setContentDisposition(ContentDisposition.attachment()
				.filename("iotorq-lean-" + slug + "-" + found.thumbprintSha1() + ".cer")
				.build()))
			.bodyValue(found.der()));
	}

	/**
	 * Retires the certificate: 204, also when it was retired before; 409 for the one
	 * signing sign-ins.
	 */
	public Mono<ServerResponse> delete(ServerRequest request) {
		return Mono.defer(() -> delete(request, request.pathVariable("slug"), id(request)));
	}

	private Mono<ServerResponse> delete(ServerRequest request, String slug, UUID id) {
		return existing(slug).flatMap(
				tenant -> AdminRequests.actor(request).flatMap(actor -> this.certificates.retire(actor, tenant, id)))
			.switchIfEmpty(Mono
				.error(() -> AdminProblem.notFound("Organisation '" + slug + "' has no certificate " + id + ".")))
			.flatMap(done -> switch (done) {
				case SIGNING -> Mono.error(new AdminProblem(HttpStatus.CONFLICT, "Certificate in use",
						"Certificate " + id + " signs the sign-ins of '" + slug
								+ "' (credentialType certificate): verify "
								+ "its successor first (POST /admin/tenants/" + slug
								+ "/sso/verify), or switch credentialType " + "to client_secret.",
						List.of()));
				case RETIRED, ALREADY_RETIRED -> ServerResponse.noContent().build();
			});
	}

	private Mono<SigningCertificate> certificate(ServerRequest request) {
		return Mono.defer(() -> {
			String slug = request.pathVariable("slug");
			UUID id = id(request);
			return existing(slug).flatMap(tenant -> this.certificates.find(tenant, id))
				.switchIfEmpty(Mono
					.error(() -> AdminProblem.notFound("Organisation '" + slug + "' has no certificate " + id + ".")));
		});
	}

	private Mono<Tenant> existing(String slug) {
		return this.tenants.findBySlug(slug)
			.switchIfEmpty(Mono.error(() -> AdminProblem.notFound("There is no organisation '" + slug + "'.")));
	}

	private static UUID id(ServerRequest request) {
		String text = request.pathVariable("id");
		try {
			return UUID.fromString(text);
		}
		catch (IllegalArgumentException ex) {
			throw AdminProblem.notFound("There is no certificate '" + text + "'.");
		}
	}

	/** An empty body, or {@code {}}, takes the default. */
	private static int validDays(String body) {
		if (body.isBlank()) {
			return DEFAULT_VALID_DAYS;
		}
		JsonFields fields = JsonFields.parse(body, Set.of("validDays"));
		Integer days = fields.integer("validDays", 1, MAX_VALID_DAYS);
		fields.validate();
		return (days != null) ? days : DEFAULT_VALID_DAYS;
	}

	/**
	 * A certificate as the admin API shows it: never its private key.
	 *
	 * @param id identifies it in these endpoints
	 * @param status {@code PENDING}, {@code ACTIVE} or {@code RETIRED}
	 * @param thumbprintSha1 upper-case hex, as the Entra admin center lists certificates
	 * @param thumbprintSha256 upper-case hex
	 * @param notBefore start of validity
	 * @param notAfter end of validity: generate the next one 60 days or more before
	 * @param certificatePem the public certificate, PEM
	 * @param createdAt when it was generated
	 * @param activatedAt when a verification made it ACTIVE
	 * @param retiredAt when it was retired
	 */
	record CertificateView(UUID id, String status, String thumbprintSha1, String thumbprintSha256, Instant notBefore,
			Instant notAfter, String certificatePem, Instant createdAt, @Nullable Instant activatedAt,
			@Nullable Instant retiredAt) {

		static CertificateView of(SigningCertificate certificate) {
			return new CertificateView(certificate.id(), certificate.status().name(), certificate.thumbprintSha1(),
					certificate.thumbprintSha256(), certificate.notBefore(), certificate.notAfter(), certificate.pem(),
					certificate.createdAt(), certificate.activatedAt(), certificate.retiredAt());
		}

	}

	record Listing(List<CertificateView> items) {
	}

}
