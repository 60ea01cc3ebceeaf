package com.iotorq.lean.gateway.onboarding;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.text.ParseException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyType;
import com.nimbusds.jose.jwk.KeyUse;
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
import org.springframework.web.reactive.function.client.WebClient;

import com.iotorq.lean.gateway.config.GatewayProperties;
import com.iotorq.lean.gateway.credentials.ClientAssertions;
import com.iotorq.lean.gateway.credentials.SigningCertificate;
import com.iotorq.lean.gateway.credentials.SigningCertificates;
import com.iotorq.lean.gateway.onboarding.SsoVerification.Check;
import com.iotorq.lean.gateway.secrets.SecretCipher;
import com.iotorq.lean.gateway.sso.provider.IdentityProvider;
import com.iotorq.lean.gateway.sso.provider.IdentityProviders;
import com.iotorq.lean.gateway.sso.oidc.IdpHttp;
import com.iotorq.lean.gateway.sso.oidc.OidcMetadata;
import com.iotorq.lean.gateway.sso.provider.VerificationProblem;
import com.iotorq.lean.gateway.sso.provider.VerificationStep;
import com.iotorq.lean.gateway.tenant.SsoSettings;
import com.iotorq.lean.gateway.tenant.Tenant;
import com.iotorq.lean.gateway.web.GatewayPaths;

/**
 * Checks an organisation's three credentials against the real identity provider, one
 * after another, over the bounded IdP client: (1) the directory exists (its discovery
 * document, read fresh rather than from the sign-in cache), (2) the client id and secret
 * are accepted (a client-credentials token request; the token is discarded unread), (3)
 * the redirect URI its sign-ins send, shown for comparison. What each failure means comes
 * from the provider. With a certificate credential, step (2) is
 * {@link CertificateCheck}'s: it tries the newest PENDING certificate (else the ACTIVE
 * one) and activates a PENDING one that Microsoft accepts.
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

	/**
	 * @param tenant an organisation with SSO settings
	 */
	public Mono<SsoVerification> verify(Tenant tenant) {
		SsoSettings sso = tenant.sso();
		if (sso == null) {
			return Mono.error(new IllegalArgumentException("no SSO settings for " + tenant.slug()));
		}
		return verify(tenant, sso);
	}

	/**
	 * Checks the given settings rather than the organisation's live ones, e.g. a draft on
	 * the setup page.
	 * @param tenant the organisation the settings are for (their secret is sealed for it)
	 * @param sso the settings to check
	 */
	public Mono<SsoVerification> verify(Tenant tenant, SsoSettings sso) {
		return verify(tenant, sso, null);
	}

	/**
	 * Checks settings with {@code credentialType} {@code certificate} using this very
	 * certificate, PENDING or not, and changes nothing: no certificate is activated or
	 * retired, whatever Microsoft answers (the setup page activates its draft's
	 * certificate only on Activate).
	 * @param tenant the organisation the settings and the certificate are for
	 * @param sso the settings to check
	 * @param certificate the organisation's certificate to sign the check's client
	 * assertion
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
									? this.certificateCheck.tryOnly(tenant, sso, provider, directory.tokenEndpoint(),
											trial)
									: this.certificateCheck.check(tenant, sso, provider, directory.tokenEndpoint()))
							: credentials(tenant, sso, provider, directory))
					: Mono.just(new Check(SsoVerification.CREDENTIALS, Check.SKIPPED,
							"Not checked, because the directory could not be read", null, null, null, null));
			Mono<List<Check>> keys = provider.verifiesSigningKeys() ? keys(provider, directory).map(List::of)
					: Mono.just(List.of());
			return keys.zipWith(credentials).map(checked -> {
				List<Check> checks = new ArrayList<>();
				checks.add(directory.check());
				checks.addAll(checked.getT1());
				checks.add(checked.getT2());
				checks.add(redirectUri);
				return List.copyOf(checks);
			});
		}).map(checks -> {
			SsoVerification verification = new SsoVerification(startedAt, checks.stream().noneMatch(Check::failed),
					sso.updatedAt(), checks);
			logger.info("Verified the SSO credentials of {}: {}", tenant.slug(), summary(verification));
			return verification;
		});
	}

	/**
	 * {@code <public scheme>://<slug>.<base domain>/oauth/complete/}, as the help article
	 * registers it.
	 */
	public String redirectUri(Tenant tenant) {
		return this.gateway.publicOrigin(tenant.slug()) + GatewayPaths.CALLBACK;
	}

	private Mono<Directory> directory(IdentityProvider provider, URI issuer) {
		String location = OidcMetadata.location(issuer).toString();
		return get(URI.create(location)).map(answer -> {
			JsonNode document = parse(answer.body());
			if (answer.status() != 200 || document == null) {
				VerificationProblem problem = provider.explainVerification(VerificationStep.DIRECTORY, answer.status(),
						text(document, "error"), text(document, "error_description"));
				return new Directory(failed(SsoVerification.DIRECTORY, problem, issuer.toString()), null, null);
			}
			String tokenEndpoint = text(document, "token_endpoint");
			if (!issuer.toString().equals(text(document, "issuer")) || tokenEndpoint == null) {
				return new Directory(new Check(SsoVerification.DIRECTORY, Check.FAILED,
						"The discovery document names another issuer or no token endpoint", issuer.toString(), null,
						provider.issuerMismatchInstruction(), null), null, null);
			}
			return new Directory(new Check(SsoVerification.DIRECTORY, Check.OK, "The directory exists",
					issuer.toString(), null, null, null), tokenEndpoint, document);
		})
			.onErrorResume(ex -> Mono
				.just(new Directory(unreachable(SsoVerification.DIRECTORY, issuer.toString(), ex), null, null)));
	}

	/**
	 * A {@code client_credentials} request where the provider supports that grant; else,
	 * or when the provider refused only the grant, the redemption of a deliberately
	 * invalid code, where {@code invalid_grant} means the credentials were accepted and
	 * {@code invalid_client} that they were not.
	 */
	private Mono<Check> credentials(Tenant tenant, SsoSettings sso, IdentityProvider provider, Directory directory) {
		String tokenEndpoint = Objects.requireNonNull(directory.tokenEndpoint(),
				"verify() checks the directory's first");
		String secret = this.cipher.open(sso.requiredClientSecret(), tenant.id().toString());
		Mono<Check> redemption = Mono.defer(() -> invalidCodeRedemption(tenant, sso, provider, tokenEndpoint, secret));
		Mono<Check> checked;
		if (provider.checksCredentialsWithClientCredentials(map(directory.document()))) {
			MultiValueMap<String, String> form = new LinkedMultiValueMap<>();
			form.add("grant_type", "client_credentials");
			form.add("client_id", sso.clientId());
			form.add("client_secret", secret);
			String scope = provider.credentialCheckScope();
			if (scope != null) {
				form.add("scope", scope);
			}
			checked = tokenCheck(provider, tokenEndpoint, form, sso.clientId(), "The client id and secret are accepted")
				.flatMap(check -> (check.failed() && provider.redeemsInvalidCodeAfter(check.errorCode())) ? redemption
						: Mono.just(check));
		}
		else {
			checked = redemption;
		}
		return checked.map(check -> check.credential(SsoSettings.CredentialType.CLIENT_SECRET.value()));
	}

	private Mono<Check> invalidCodeRedemption(Tenant tenant, SsoSettings sso, IdentityProvider provider,
			String tokenEndpoint, String secret) {
		MultiValueMap<String, String> form = new LinkedMultiValueMap<>();
		form.add("grant_type", "authorization_code");
		form.add("code", "lean-verification-" + UUID.randomUUID());
		form.add("redirect_uri", redirectUri(tenant));
		form.add("client_id", sso.clientId());
		form.add("client_secret", secret);
		return post(tokenEndpoint, form).map(answer -> {
			JsonNode body = parse(answer.body());
			String error = text(body, "error");
			if ("invalid_grant".equals(error)) {
				return new Check(SsoVerification.CREDENTIALS, Check.OK,
						"The client id and secret are accepted (the provider refused only a deliberately invalid code)",
						sso.clientId(), null, null, null);
			}
			VerificationProblem problem = provider.explainVerification(VerificationStep.CREDENTIALS, answer.status(),
					error, text(body, "error_description"));
			return failed(SsoVerification.CREDENTIALS, problem, sso.clientId());
		}).onErrorResume(ex -> Mono.just(unreachable(SsoVerification.CREDENTIALS, tokenEndpoint, ex)));
	}

	/** The provider's key set: reachable, with at least one public signing key. */
	private Mono<Check> keys(IdentityProvider provider, Directory directory) {
		String jwksUri = text(directory.document(), "jwks_uri");
		if (directory.tokenEndpoint() == null) {
			return Mono.just(new Check(SsoVerification.SIGNING_KEYS, Check.SKIPPED,
					"Not checked, because the directory could not be read", null, null, null, null));
		}
		if (jwksUri == null) {
			return Mono.just(failed(SsoVerification.SIGNING_KEYS,
					provider.explainVerification(VerificationStep.KEYS, 200, "no_jwks_uri", null), "(none)"));
		}
		return get(URI.create(jwksUri)).map(answer -> {
			long usable = (answer.status() == 200) ? usableKeys(answer.body()) : 0;
			if (usable > 0) {
				return new Check(SsoVerification.SIGNING_KEYS, Check.OK,
						"The provider's signing keys can be read (" + usable + " usable)", jwksUri, null, null, null);
			}
			return failed(SsoVerification.SIGNING_KEYS, provider.explainVerification(VerificationStep.KEYS,
					answer.status(), (answer.status() == 200) ? "no_usable_key" : null, null), jwksUri);
		}).onErrorResume(ex -> Mono.just(unreachable(SsoVerification.SIGNING_KEYS, jwksUri, ex)));
	}

	/** Public RSA or EC keys not reserved for encryption. */
	private static long usableKeys(String body) {
		try {
			return JWKSet.parse(body)
				.getKeys()
				.stream()
				.filter(key -> !key.isPrivate() && (key.getKeyUse() == null || KeyUse.SIGNATURE.equals(key.getKeyUse()))
						&& (KeyType.RSA.equals(key.getKeyType()) || KeyType.EC.equals(key.getKeyType())))
				.count();
		}
		catch (ParseException ex) {
			return 0;
		}
	}

	@SuppressWarnings("unchecked")
	private Map<String, Object> map(@Nullable JsonNode document) {
		return (document != null) ? this.json.convertValue(document, Map.class) : Map.of();
	}

	/**
	 * A client-credentials token request with this form (the client's authentication
	 * included): {@code ok} when the provider issues a token (discarded unread), else
	 * what its error means.
	 */
	Mono<Check> tokenCheck(IdentityProvider provider, String tokenEndpoint, MultiValueMap<String, String> form,
			String clientId, String accepted) {
		return post(tokenEndpoint, form).map(answer -> {
			JsonNode body = parse(answer.body());
			if (answer.status() == 200 && text(body, "access_token") != null) {
				return new Check(SsoVerification.CREDENTIALS, Check.OK, accepted, clientId, null, null, null);
			}
			VerificationProblem problem = provider.explainVerification(VerificationStep.CREDENTIALS, answer.status(),
					text(body, "error"), text(body, "error_description"));
			return failed(SsoVerification.CREDENTIALS, problem, clientId);
		}).onErrorResume(ex -> Mono.just(unreachable(SsoVerification.CREDENTIALS, tokenEndpoint, ex)));
	}

	private static Check failed(String check, VerificationProblem problem, String value) {
		return new Check(check, Check.FAILED, problem.summary(), value, problem.errorCode(), problem.instruction(),
				problem.correlationId());
	}

	private static Check unreachable(String check, String value, Throwable ex) {
		logger.warn("SSO verification: {} could not be checked: {}", check, ex.toString());
		return new Check(check, Check.FAILED,
				"The identity provider did not answer (" + ex.getClass().getSimpleName() + ")", value, null,
				"Try again in a minute. If it persists, check that the gateway can reach the identity "
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

	/** One GET over the bounded IdP client: the status and body, whatever the status. */
	private Mono<Answer> get(URI location) {
		return answer(this.http.webClient().get().uri(location));
	}

	/**
	 * One form POST to a token endpoint over the bounded IdP client: the status and body,
	 * whatever the status.
	 */
	private Mono<Answer> post(String tokenEndpoint, MultiValueMap<String, String> form) {
		return answer(
				this.http.webClient().post().uri(URI.create(tokenEndpoint)).body(BodyInserters.fromFormData(form)));
	}

	private Mono<Answer> answer(WebClient.RequestHeadersSpec<?> request) {
		return request
			.exchangeToMono(response -> response.bodyToMono(String.class)
				.defaultIfEmpty("")
				.map(body -> new Answer(response.statusCode().value(), body)))
			.timeout(this.http.deadline());
	}

	private record Answer(int status, String body) {
	}

	private record Directory(Check check, @Nullable String tokenEndpoint, @Nullable JsonNode document) {
	}

}
