package com.iotorq.lean.gateway.onboarding;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.reactive.function.BodyInserters;

import com.iotorq.lean.gateway.config.GatewayProperties;
import com.iotorq.lean.gateway.credentials.ClientAssertions;
import com.iotorq.lean.gateway.credentials.SigningCertificate;
import com.iotorq.lean.gateway.credentials.SigningCertificates;
import com.iotorq.lean.gateway.onboarding.SsoVerification.Check;
import com.iotorq.lean.gateway.secrets.SecretCipher;
import com.iotorq.lean.gateway.sso.IdentityProvider;
import com.iotorq.lean.gateway.sso.IdentityProviders;
import com.iotorq.lean.gateway.sso.IdpHttp;
import com.iotorq.lean.gateway.sso.VerificationProblem;
import com.iotorq.lean.gateway.sso.VerificationStep;
import com.iotorq.lean.gateway.tenant.SsoSettings;
import com.iotorq.lean.gateway.tenant.Tenant;
import com.iotorq.lean.gateway.web.GatewayPaths;

/**
 * Checks an organisation's three credentials against the real identity provider, one after
 * another, over the bounded IdP client: (1) the directory exists (its discovery document, read
 * fresh rather than from the sign-in cache), (2) the client id and secret are accepted (a
 * client-credentials token request; the token is discarded unread), (3) the redirect URI its
 * sign-ins send, shown for comparison. What each failure means comes from the provider. With a
 * certificate credential, step (2) is {@link CertificateCheck}'s: it tries the newest PENDING
 * certificate (else the ACTIVE one) and activates a PENDING one that Microsoft accepts.
 */
public final class SsoVerifier {

	private static final Logger logger = LoggerFactory.getLogger(SsoVerifier.class);

	private final IdentityProviders providers;

	private final IdpHttp http;

	private final SecretCipher cipher;

	private final GatewayProperties gateway;

	private final JsonMapper json;

	private final Clock clock;

	private final CertificateCheck certificateCheck;

	public SsoVerifier(IdentityProviders providers, IdpHttp http, SecretCipher cipher, GatewayProperties gateway,
			JsonMapper json, Clock clock, SigningCertificates certificates, ClientAssertions assertions) {
		this.providers = providers;
		this.http = http;
		this.cipher = cipher;
		this.gateway = gateway;
		this.json = json;
		this.clock = clock;
		this.certificateCheck = new CertificateCheck(certificates, assertions, this::tokenCheck);
	}

	/** @param tenant an organisation with SSO settings */
	public Mono<SsoVerification> verify(Tenant tenant) {
		SsoSettings sso = tenant.sso();
		if (sso == null) {
			return Mono.error(new IllegalArgumentException("no SSO settings for " + tenant.slug()));
		}
		return verify(tenant, sso);
	}

	/**
	 * Checks the given settings rather than the organisation's live ones, e.g. a draft on the
	 * setup page.
	 * @param tenant the organisation the settings are for (their secret is sealed for it)
	 * @param sso the settings to check
	 */
	public Mono<SsoVerification> verify(Tenant tenant, SsoSettings sso) {
		return verify(tenant, sso, null);
	}

	/**
	 * Checks settings with {@code credentialType} {@code certificate} using this very certificate,
	 * PENDING or not, and changes nothing: no certificate is activated or retired, whatever
	 * Microsoft answers (the setup page activates its draft's certificate only on Activate).
	 * @param tenant the organisation the settings and the certificate are for
	 * @param sso the settings to check
	 * @param certificate the organisation's certificate to sign the check's client assertion
	 */
	public Mono<SsoVerification> verifyWith(Tenant tenant, SsoSettings sso, SigningCertificate certificate) {
		return verify(tenant, sso, certificate);
	}

	private Mono<SsoVerification> verify(Tenant tenant, SsoSettings sso, @Nullable SigningCertificate trial) {
		IdentityProvider provider = this.providers.get(sso.provider());
		Instant startedAt = this.clock.instant();
		Check redirectUri = new Check(SsoVerification.REDIRECT_URI, Check.INFO,
				"The redirect URI sign-ins of this organisation send", redirectUri(tenant), null,
				provider.redirectUriInstruction(), null);
		return directory(provider, provider.issuer(sso)).flatMap(directory -> {
			Mono<Check> credentials = (directory.tokenEndpoint() != null)
					? ((sso.credentialType() == SsoSettings.CredentialType.CERTIFICATE)
							? ((trial != null)
									? this.certificateCheck.tryOnly(tenant, sso, provider, directory.tokenEndpoint(), trial)
									: this.certificateCheck.check(tenant, sso, provider, directory.tokenEndpoint()))
							: credentials(tenant, sso, provider, directory.tokenEndpoint()))
					: Mono.just(new Check(SsoVerification.CREDENTIALS, Check.SKIPPED,
							"Not checked, because the directory could not be read", null, null, null, null));
			return credentials.map(checked -> List.of(directory.check(), checked, redirectUri));
		}).map(checks -> {
			SsoVerification verification = new SsoVerification(startedAt, checks.stream().noneMatch(Check::failed),
					sso.updatedAt(), checks);
			logger.info("Verified the SSO credentials of {}: {}", tenant.slug(), summary(verification));
			return verification;
		});
	}

	/** {@code <public scheme>://<slug>.<base domain>/oauth/complete/}, as the help article registers it. */
	public String redirectUri(Tenant tenant) {
		return this.gateway.publicOrigin(tenant.slug()) + GatewayPaths.CALLBACK;
	}

	private Mono<Directory> directory(IdentityProvider provider, URI issuer) {
		String location = issuer + "/.well-known/openid-configuration";
		return this.http.webClient()
			.get()
			.uri(URI.create(location))
			.exchangeToMono(response -> response.bodyToMono(String.class)
				.defaultIfEmpty("")
				.map(body -> new Answer(response.statusCode().value(), body)))
			.timeout(this.http.deadline())
			.map(answer -> {
				JsonNode document = parse(answer.body());
				if (answer.status() != 200 || document == null) {
					VerificationProblem problem = provider.explainVerification(VerificationStep.DIRECTORY, answer.status(),
							text(document, "error"), text(document, "error_description"));
					return new Directory(failed(SsoVerification.DIRECTORY, problem, issuer.toString()), null);
				}
				String tokenEndpoint = text(document, "token_endpoint");
				if (!issuer.toString().equals(text(document, "issuer")) || tokenEndpoint == null) {
					return new Directory(new Check(SsoVerification.DIRECTORY, Check.FAILED,
							"The discovery document names another issuer or no token endpoint", issuer.toString(), null,
							"Check the identity provider's configured authority (e.g. lean.sso.entra.authority): the gateway may be pointed at the wrong cloud.", null), null);
				}
				return new Directory(new Check(SsoVerification.DIRECTORY, Check.OK, "The directory exists",
						issuer.toString(), null, null, null), tokenEndpoint);
			})
			.onErrorResume(ex -> Mono.just(new Directory(unreachable(SsoVerification.DIRECTORY, issuer.toString(), ex), null)));
	}

	private Mono<Check> credentials(Tenant tenant, SsoSettings sso, IdentityProvider provider, String tokenEndpoint) {
		MultiValueMap<String, String> form = new LinkedMultiValueMap<>();
		form.add("grant_type", "client_credentials");
		form.add("client_id", sso.clientId());
		form.add("client_secret", this.cipher.open(sso.clientSecret(), tenant.id().toString()));
		form.add("scope", provider.credentialCheckScope());
		return tokenCheck(provider, tokenEndpoint, form, sso.clientId(), "The client id and secret are accepted")
			.map(check -> check.credential(SsoSettings.CredentialType.CLIENT_SECRET.value()));
	}

	/**
	 * A client-credentials token request with this form (the client's authentication included):
	 * {@code ok} when the provider issues a token (discarded unread), else what its error means.
	 */
	Mono<Check> tokenCheck(IdentityProvider provider, String tokenEndpoint, MultiValueMap<String, String> form,
			String clientId, String accepted) {
		return this.http.webClient()
			.post()
			.uri(URI.create(tokenEndpoint))
			.body(BodyInserters.fromFormData(form))
			.exchangeToMono(response -> response.bodyToMono(String.class)
				.defaultIfEmpty("")
				.map(body -> new Answer(response.statusCode().value(), body)))
			.timeout(this.http.deadline())
			.map(answer -> {
				JsonNode body = parse(answer.body());
				if (answer.status() == 200 && text(body, "access_token") != null) {
					return new Check(SsoVerification.CREDENTIALS, Check.OK, accepted, clientId, null, null, null);
				}
				VerificationProblem problem = provider.explainVerification(VerificationStep.CREDENTIALS, answer.status(),
						text(body, "error"), text(body, "error_description"));
				return failed(SsoVerification.CREDENTIALS, problem, clientId);
			})
			.onErrorResume(ex -> Mono.just(unreachable(SsoVerification.CREDENTIALS, tokenEndpoint, ex)));
	}

	private static Check failed(String check, VerificationProblem problem, String value) {
		return new Check(check, Check.FAILED, problem.summary(), value, problem.errorCode(), problem.instruction(),
				problem.correlationId());
	}

	private static Check unreachable(String check, String value, Throwable ex) {
		logger.warn("SSO verification: {} could not be checked: {}", check, ex.toString());
		return new Check(check, Check.FAILED, "The identity provider did not answer (" + ex.getClass().getSimpleName() + ")",
				value, null, "Try again in a minute. If it persists, check that the gateway can reach the identity "
						+ "provider (its configured authority, e.g. lean.sso.entra.authority, and outbound network access).",
				null);
	}

	private @Nullable JsonNode parse(String body) {
		if (body.isBlank()) {
			return null;
		}
		try {
			JsonNode node = this.json.readTree(body);
			return (node != null && node.isObject()) ? node : null;
		}
		catch (JacksonException ex) {
			return null;
		}
	}

	private static @Nullable String text(@Nullable JsonNode node, String field) {
		JsonNode value = (node != null) ? node.get(field) : null;
		return (value != null && value.isString()) ? value.stringValue() : null;
	}

	private static String summary(SsoVerification verification) {
		List<String> parts = new ArrayList<>();
		verification.checks()
			.forEach(check -> parts.add(check.check() + "=" + check.status()
					+ ((check.errorCode() != null) ? " (" + check.errorCode() + ")" : "")));
		return String.join(", ", parts);
	}

	private record Answer(int status, String body) {
	}

	private record Directory(Check check, @Nullable String tokenEndpoint) {
	}

}
