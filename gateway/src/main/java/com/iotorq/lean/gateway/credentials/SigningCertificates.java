package com.iotorq.lean.gateway.credentials;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.X509CertUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.transaction.reactive.TransactionalOperator;

import com.iotorq.lean.gateway.audit.AuditLog;
import com.iotorq.lean.gateway.secrets.SealedSecret;
import com.iotorq.lean.gateway.secrets.SecretCipher;
import com.iotorq.lean.gateway.tenant.SsoSettings;
import com.iotorq.lean.gateway.tenant.Tenant;
import com.iotorq.lean.gateway.tenant.TenantChangeNotifier;
import com.iotorq.lean.gateway.tenant.TenantDirectory;
import com.iotorq.lean.gateway.tenant.TenantRepository;

/**
 * The life of organisations' certificates: generated PENDING, made ACTIVE by a
 * verification that Microsoft accepted (the previous ACTIVE one RETIRED in the same
 * transaction), retired on request. Every change holds the organisation's row lock, so
 * two replicas verifying at once serialise, and is audited; a change of the signing
 * certificate notifies every replica, whose sign-in registrations are then built anew
 * with the new key.
 */
public final class SigningCertificates {

	/**
	 * The audit actor of activations made by a verification, which may run without an
	 * admin request.
	 */
	public static final String VERIFICATION_ACTOR = "sso-verification";

	private static final Logger logger = LoggerFactory.getLogger(SigningCertificates.class);

	private final CertificateRepository repository;

	private final CertificateGenerator generator;

	private final SecretCipher cipher;

	private final TenantRepository tenants;

	private final AuditLog audit;

	private final TenantChangeNotifier notifier;

	private final TenantDirectory directory;

	private final TransactionalOperator transaction;

	private final Clock clock;

	public SigningCertificates(CertificateRepository repository, CertificateGenerator generator, SecretCipher cipher,
			TenantRepository tenants, AuditLog audit, TenantChangeNotifier notifier, TenantDirectory directory,
			TransactionalOperator transaction, Clock clock) {
		this.repository = repository;
		this.generator = generator;
		this.cipher = cipher;
		this.tenants = tenants;
		this.audit = audit;
		this.notifier = notifier;
		this.directory = directory;
		this.transaction = transaction;
		this.clock = clock;
	}

	/**
	 * Generates a new PENDING certificate for the organisation; its private key is sealed
	 * at once.
	 * @return the certificate as stored, empty when the organisation no longer exists
	 */
	public Mono<SigningCertificate> create(String actor, Tenant tenant, int validDays) {
		return this.generator.generate(tenant.slug(), tenant.displayName(), Duration.ofDays(validDays))
			.map(generated -> {
				SealedSecret key = this.cipher.seal(Base64.getEncoder().encodeToString(generated.privateKeyPkcs8()),
						tenant.id().toString());
				return new SigningCertificate(UUID.randomUUID(), tenant.id(), SigningCertificate.Status.PENDING,
						generated.der(), Thumbprints.hex(Thumbprints.sha1(generated.der())),
						Thumbprints.hex(Thumbprints.sha256(generated.der())), generated.notBefore(),
						generated.notAfter(), key, this.clock.instant(), null, null);
			})
			.flatMap(certificate -> this.transaction.transactional(this.tenants.findBySlugForUpdate(tenant.slug())
				.filter(locked -> locked.id().equals(tenant.id()))
				.flatMap(locked -> this.repository.insert(certificate)
					.then(this.audit.record(actor, "sso.certificate.created", tenant.slug(),
							certificate.id().toString(), null, CertificateAudit.of(certificate)))
					.thenReturn(certificate))));
	}

	/** The organisation's certificates, newest first. */
	public Flux<SigningCertificate> list(Tenant tenant) {
		return this.repository.findAll(tenant.id());
	}

	public Mono<SigningCertificate> find(Tenant tenant, UUID id) {
		return this.repository.find(tenant.id(), id);
	}

	/** The certificate that signs the organisation's sign-ins, if any. */
	public Mono<SigningCertificate> active(Tenant tenant) {
		return this.repository.active(tenant.id());
	}

	/** The newest certificate waiting for a verification, if any. */
	public Mono<SigningCertificate> newestPending(Tenant tenant) {
		return this.repository.newestPending(tenant.id());
	}

	/**
	 * Makes this PENDING certificate the one that signs and retires the previous one, in
	 * one transaction under the organisation's row lock; then every replica is told.
	 * @return whether it was activated now (false when it is no longer PENDING, e.g.
	 * another replica's verification activated or someone retired it meanwhile)
	 */
	public Mono<Boolean> activate(Tenant tenant, SigningCertificate certificate) {
		return activate(VERIFICATION_ACTOR, tenant, certificate);
	}

	/**
	 * As {@link #activate(Tenant, SigningCertificate)}, audited as done by {@code actor}
	 * (e.g. the setup page's "via setup link {id}", whose Activate makes its tested draft
	 * certificate ACTIVE); joins the caller's transaction, if there is one.
	 */
	public Mono<Boolean> activate(String actor, Tenant tenant, SigningCertificate certificate) {
		Instant now = this.clock.instant();
		Mono<Boolean> change = this.tenants.findBySlugForUpdate(tenant.slug())
			.filter(locked -> locked.id().equals(tenant.id()))
			// still PENDING now that this transaction holds the lock? (another replica
			// may have activated it)
			.flatMap(locked -> this.repository.find(tenant.id(), certificate.id()))
			.filter(current -> current.status() == SigningCertificate.Status.PENDING)
			.flatMap(
					pending -> this.repository.active(tenant.id())
						.map(CertificateAudit::of)
						.map(Optional::of)
						.defaultIfEmpty(Optional.empty())
						.flatMap(previous -> this.repository.activate(tenant.id(), certificate.id(), now)
							.flatMap(activated -> !activated ? Mono.just(false)
									: this.audit
										.record(actor, "sso.certificate.activated", tenant.slug(),
												certificate.id().toString(), previous.orElse(null),
												CertificateAudit.of(certificate)
													.withStatus(SigningCertificate.Status.ACTIVE))
										.then(this.notifier.changed(tenant.slug()))
										.thenReturn(true))))
			.defaultIfEmpty(false);
		return this.transaction.transactional(change).doOnSuccess(activated -> {
			if (Boolean.TRUE.equals(activated)) {
				this.directory.evict(tenant.slug());
				logger.info("Certificate {} of {} now signs its sign-ins (a previous ACTIVE one is retired)",
						certificate.thumbprintSha1(), tenant.slug());
			}
		});
	}

	/**
	 * Retires one certificate and removes its private key.
	 * @return what happened; empty when the organisation has no such certificate
	 */
	public Mono<Retirement> retire(String actor, Tenant tenant, UUID id) {
		Mono<Retirement> change = this.tenants.findBySlugForUpdate(tenant.slug())
			.filter(locked -> locked.id().equals(tenant.id()))
			.flatMap(locked -> this.repository.find(tenant.id(), id).flatMap(certificate -> {
				if (certificate.status() == SigningCertificate.Status.RETIRED) {
					return Mono.just(Retirement.ALREADY_RETIRED);
				}
				SsoSettings sso = locked.sso();
				if (certificate.status() == SigningCertificate.Status.ACTIVE && sso != null
						&& sso.credentialType() == SsoSettings.CredentialType.CERTIFICATE) {
					return Mono.just(Retirement.SIGNING);
				}
				return this.repository.retire(tenant.id(), id, this.clock.instant())
					.then(this.audit.record(actor, "sso.certificate.retired", tenant.slug(), id.toString(),
							CertificateAudit.of(certificate),
							CertificateAudit.of(certificate).withStatus(SigningCertificate.Status.RETIRED)))
					.then((certificate.status() == SigningCertificate.Status.ACTIVE)
							? this.notifier.changed(tenant.slug()) : Mono.empty())
					.thenReturn(Retirement.RETIRED);
			}));
		return this.transaction.transactional(change).doOnSuccess(done -> {
			if (done == Retirement.RETIRED) {
				this.directory.evict(tenant.slug());
			}
		});
	}

	/**
	 * The signing key of a certificate that still has one, as a JWK carrying both
	 * thumbprints.
	 * @throws SecretCipher.SecretUnavailableException when the key does not decrypt
	 */
	public RSAKey signingKey(Tenant tenant, SigningCertificate certificate) {
		SealedSecret sealed = certificate.privateKey();
		if (sealed == null) {
			throw new IllegalStateException("certificate " + certificate.id() + " is retired and has no private key");
		}
		byte[] pkcs8 = Base64.getDecoder().decode(this.cipher.open(sealed, tenant.id().toString()));
		try {
			RSAPrivateKey privateKey = (RSAPrivateKey) KeyFactory.getInstance("RSA")
				.generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
			RSAPublicKey publicKey = (RSAPublicKey) X509CertUtils.parse(certificate.der()).getPublicKey();
			@SuppressWarnings("deprecation") // x5t (SHA-1) is what older Entra
												// deployments read
			RSAKey key = new RSAKey.Builder(publicKey).privateKey(privateKey)
				.keyUse(KeyUse.SIGNATURE)
				.algorithm(JWSAlgorithm.PS256)
				.x509CertSHA256Thumbprint(Thumbprints.base64Url(Thumbprints.sha256(certificate.der())))
				.x509CertThumbprint(Thumbprints.base64Url(Thumbprints.sha1(certificate.der())))
				.build();
			return key;
		}
		catch (GeneralSecurityException | RuntimeException ex) {
			// never the key material: only which certificate
			throw new IllegalStateException(
					"The private key of certificate " + certificate.thumbprintSha1() + " could not be read", null);
		}
	}

	/** What a request to retire a certificate did. */
	public enum Retirement {

		/** It was retired now. */
		RETIRED,
		/** It had been retired before. */
		ALREADY_RETIRED,
		/**
		 * Refused: it is the ACTIVE certificate of an organisation that signs in with its
		 * certificate.
		 */
		SIGNING

	}

	/**
	 * The audited state of a certificate: never its key.
	 *
	 * @param id the certificate
	 * @param status its status
	 * @param thumbprintSha1 SHA-1 thumbprint
	 * @param thumbprintSha256 SHA-256 thumbprint
	 * @param notBefore start of validity
	 * @param notAfter end of validity
	 */
	record CertificateAudit(UUID id, SigningCertificate.Status status, String thumbprintSha1, String thumbprintSha256,
			Instant notBefore, Instant notAfter) {

		static CertificateAudit of(SigningCertificate certificate) {
			return new CertificateAudit(certificate.id(), certificate.status(), certificate.thumbprintSha1(),
					certificate.thumbprintSha256(), certificate.notBefore(), certificate.notAfter());
		}

		CertificateAudit withStatus(SigningCertificate.Status status) {
			return new CertificateAudit(this.id, status, this.thumbprintSha1, this.thumbprintSha256, this.notBefore,
					this.notAfter);
		}

	}

}
