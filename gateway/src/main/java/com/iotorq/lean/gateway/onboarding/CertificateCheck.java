package com.iotorq.lean.gateway.onboarding;

import java.util.Optional;

import com.nimbusds.jose.jwk.RSAKey;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;

import com.iotorq.lean.gateway.credentials.ClientAssertions;
import com.iotorq.lean.gateway.credentials.SigningCertificate;
import com.iotorq.lean.gateway.credentials.SigningCertificates;
import com.iotorq.lean.gateway.onboarding.SsoVerification.Check;
import com.iotorq.lean.gateway.sso.provider.IdentityProvider;
import com.iotorq.lean.gateway.tenant.SsoSettings;
import com.iotorq.lean.gateway.tenant.Tenant;

/**
 * The credentials check of an organisation that signs in with a certificate: a
 * client-credentials request whose client assertion ({@link ClientAssertions}, as
 * sign-ins build it) is signed with the newest PENDING certificate, or with the ACTIVE
 * one when none is pending. When Microsoft accepts a PENDING certificate it becomes
 * ACTIVE and the previous one RETIRED ({@link SigningCertificates#activate}); when it
 * refuses, sign-ins go on with the ACTIVE one and the check says what the customer must
 * upload, by both thumbprints.
 * <p>
 * {@link #tryOnly} checks one given certificate and changes nothing: the setup page
 * verifies its draft's certificate that way, and activates it only when the administrator
 * presses Activate.
 */
final class CertificateCheck {

	private static final Logger logger = LoggerFactory.getLogger(CertificateCheck.class);

	private final SigningCertificates certificates;

	private final ClientAssertions assertions;

	private final TokenCheck tokenCheck;

	CertificateCheck(SigningCertificates certificates, ClientAssertions assertions, TokenCheck tokenCheck) {
		this.certificates = certificates;
		this.assertions = assertions;
		this.tokenCheck = tokenCheck;
	}

	/**
	 * Checks the newest PENDING certificate (else the ACTIVE one) and activates a PENDING
	 * one that Microsoft accepts.
	 * @param sso the settings checked (their client id)
	 */
	Mono<Check> check(Tenant tenant, SsoSettings sso, IdentityProvider provider, String tokenEndpoint) {
		Mono<Candidate> pending = this.certificates.newestPending(tenant)
			.map(certificate -> new Candidate(certificate, true));
		Mono<Candidate> active = this.certificates.active(tenant).map(certificate -> new Candidate(certificate, false));
		return active.map(Optional::of)
			.defaultIfEmpty(Optional.empty())
			.flatMap(current -> pending.switchIfEmpty(Mono.justOrEmpty(current))
				.flatMap(
						candidate -> check(tenant, sso, provider, tokenEndpoint, candidate, current.orElse(null), true))
				.switchIfEmpty(Mono.fromSupplier(() -> none(tenant, sso))));
	}

	/**
	 * Checks this certificate (PENDING or ACTIVE) and changes nothing, whatever Microsoft
	 * answers.
	 * @param sso the settings checked (their client id)
	 */
	Mono<Check> tryOnly(Tenant tenant, SsoSettings sso, IdentityProvider provider, String tokenEndpoint,
			SigningCertificate certificate) {
		boolean pending = certificate.status() == SigningCertificate.Status.PENDING;
		return check(tenant, sso, provider, tokenEndpoint, new Candidate(certificate, pending), null, false);
	}

	private Mono<Check> check(Tenant tenant, SsoSettings sso, IdentityProvider provider, String tokenEndpoint,
			Candidate candidate, @Nullable Candidate active, boolean activate) {
		SigningCertificate certificate = candidate.certificate();
		String clientId = sso.clientId();
		return Mono.fromCallable(() -> form(sso, provider, tokenEndpoint, tenant, certificate))
			.flatMap(form -> this.tokenCheck.check(provider, tokenEndpoint, form, clientId,
					candidate.pending() ? "Microsoft accepts the new certificate"
							: "Microsoft accepts the active certificate"))
			.onErrorResume(ex -> {
				logger.warn("SSO verification of {}: the private key of certificate {} could not be used: {}",
						tenant.slug(), certificate.thumbprintSha1(), ex.getMessage());
				return Mono.just(new Check(SsoVerification.CREDENTIALS, Check.FAILED,
						"The certificate's private key could not be read", clientId, null,
						"The key it was sealed with is no longer configured: keep the previous key in "
								+ "LEAN_SECRETS_PREVIOUS_KEYS, or generate a new certificate (POST /admin/tenants/"
								+ tenant.slug() + "/sso/certificates) for the customer to upload.",
						null));
			})
			.flatMap(check -> {
				if (!Check.OK.equals(check.status())) {
					return Mono.just(refused(check, tenant.slug(), certificate, candidate.pending() ? active : null));
				}
				if (!candidate.pending()) {
					return Mono.just(check);
				}
				if (!activate) {
					return Mono.just(new Check(check.check(), check.status(),
							"Microsoft accepts the new certificate; it signs sign-ins once it is activated",
							check.value(), null, null, null));
				}
				return this.certificates.activate(tenant, certificate)
					.map(activated -> new Check(check.check(), check.status(),
							"Microsoft accepts the new certificate; it now signs sign-ins"
									+ ((active != null) ? " and the previous one is retired" : ""),
							check.value(), null,
							"The customer may delete the previous certificate from the app registration once every "
									+ "sign-in uses the new one (a few minutes).",
							null));
			})
			.map(check -> check.certificate(certificate.id().toString(), certificate.thumbprintSha1(),
					certificate.thumbprintSha256()));
	}

	private MultiValueMap<String, String> form(SsoSettings sso, IdentityProvider provider, String tokenEndpoint,
			Tenant tenant, SigningCertificate certificate) {
		RSAKey key = this.certificates.signingKey(tenant, certificate);
		ClientRegistration registration = ClientRegistration.withRegistrationId("verify:" + tenant.slug())
			.clientId(sso.clientId())
			.authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
			.clientAuthenticationMethod(ClientAuthenticationMethod.PRIVATE_KEY_JWT)
			.tokenUri(tokenEndpoint)
			.scope(provider.credentialCheckScope())
			.build();
		MultiValueMap<String, String> form = new LinkedMultiValueMap<>();
		form.add("grant_type", "client_credentials");
		form.add("client_id", sso.clientId());
		form.add("scope", provider.credentialCheckScope());
		form.addAll(this.assertions.clientCredentials(registration, key));
		return form;
	}

	/**
	 * The provider's explanation, plus which certificate to upload and what keeps signing
	 * meanwhile.
	 */
	private static Check refused(Check check, String slug, SigningCertificate certificate, @Nullable Candidate active) {
		String explained = (check.instruction() != null)
				? check.instruction().replace("{slug}", slug).replace("{id}", certificate.id().toString()) + " " : "";
		String instruction = explained + "The certificate checked has the thumbprint " + certificate.thumbprintSha1()
				+ " (SHA-1, as the Entra admin center lists it; SHA-256 " + certificate.thumbprintSha256() + ")."
				+ ((active != null) ? " Sign-ins go on with the active certificate "
						+ active.certificate().thumbprintSha1() + " until this one is accepted." : "");
		return new Check(check.check(), check.status(), check.summary(), check.value(), check.errorCode(), instruction,
				check.correlationId());
	}

	private static Check none(Tenant tenant, SsoSettings sso) {
		return new Check(SsoVerification.CREDENTIALS, Check.FAILED, "There is no certificate to check", sso.clientId(),
				null,
				"Generate one with POST /admin/tenants/" + tenant.slug()
						+ "/sso/certificates, send its certificate.cer "
						+ "to the organisation's Entra administrator to upload under App registrations > ioTORQ LEAN > "
						+ "Certificates & secrets > Certificates, then verify again.",
				null)
			.credential("certificate");
	}

	/**
	 * Sends a client-credentials request with this form and says what the answer means.
	 */
	@FunctionalInterface
	interface TokenCheck {

		Mono<Check> check(IdentityProvider provider, String tokenEndpoint, MultiValueMap<String, String> form,
				String clientId, String accepted);

	}

	private record Candidate(SigningCertificate certificate, boolean pending) {
	}

}
