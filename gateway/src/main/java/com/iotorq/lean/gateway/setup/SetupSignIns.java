package com.iotorq.lean.gateway.setup;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.security.oauth2.client.authentication.OAuth2AuthorizationCodeAuthenticationToken;
import org.springframework.security.oauth2.client.authentication.OAuth2LoginAuthenticationToken;
import org.springframework.security.oauth2.client.endpoint.OAuth2AuthorizationCodeGrantRequest;
import org.springframework.security.oauth2.client.endpoint.ReactiveOAuth2AccessTokenResponseClient;
import org.springframework.security.oauth2.client.endpoint.WebClientReactiveAuthorizationCodeTokenResponseClient;
import org.springframework.security.oauth2.client.oidc.authentication.OidcAuthorizationCodeReactiveAuthenticationManager;
import org.springframework.security.oauth2.client.oidc.authentication.OidcIdTokenValidator;
import org.springframework.security.oauth2.client.oidc.authentication.ReactiveOidcIdTokenDecoderFactory;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ClientRegistrations;
import org.springframework.security.oauth2.client.web.server.DefaultServerOAuth2AuthorizationRequestResolver;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2AuthorizationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.converter.ClaimTypeConverter;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationExchange;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationResponse;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.core.endpoint.PkceParameterNames;
import org.springframework.security.oauth2.core.oidc.endpoint.OidcParameterNames;
import org.springframework.security.oauth2.core.oidc.user.DefaultOidcUser;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.util.Assert;
import org.springframework.util.MultiValueMap;
import org.springframework.web.server.ServerWebExchange;

import com.iotorq.lean.gateway.account.Account;
import com.iotorq.lean.gateway.account.AccountRepository;
import com.iotorq.lean.gateway.credentials.ClientAssertions;
import com.iotorq.lean.gateway.credentials.SigningCertificate;
import com.iotorq.lean.gateway.credentials.SigningCertificates;
import com.iotorq.lean.gateway.secrets.SealedSecret;
import com.iotorq.lean.gateway.secrets.SecretCipher;
import com.iotorq.lean.gateway.sso.provider.GroupClaims;
import com.iotorq.lean.gateway.sso.provider.IdentityProvider;
import com.iotorq.lean.gateway.sso.provider.IdentityProviders;
import com.iotorq.lean.gateway.sso.oidc.IdpHttp;
import com.iotorq.lean.gateway.sso.oidc.OidcMetadata;
import com.iotorq.lean.gateway.sso.provider.ProviderError;
import com.iotorq.lean.gateway.account.SignInIdentity;
import com.iotorq.lean.gateway.tenant.SsoSettings;
import com.iotorq.lean.gateway.tenant.Tenant;
import com.iotorq.lean.gateway.web.GatewayPaths;

/**
 * The setup page's trips to the identity provider with the draft's app registration: the
 * test sign-in and admin consent. Both return to the one redirect URI the help article
 * registers, {@code /oauth/complete/}, where {@link #isOurs} recognises them by their
 * state.
 * <p>
 * The test sign-in is Spring Security's OAuth2 login without its web filter: the draft
 * becomes a {@link ClientRegistration} of its own (id {@code setup:<slug>}), the
 * authorization request is resolved by
 * {@link DefaultServerOAuth2AuthorizationRequestResolver} (state, nonce, PKCE S256), and
 * the answer goes through {@link OidcAuthorizationCodeReactiveAuthenticationManager}
 * (code exchange, ID token signature and claims, nonce) with the same ID token checks as
 * real sign-ins plus the provider's own (Entra: {@code tid}, {@code oid}). Only the web
 * filter and what it does after authenticating are left out: no security context is saved
 * (no session), the user service reads the ID token and touches no account, and the
 * result is kept with the setup session for the page to show. Reusing {@code oauth2Login}
 * itself with a second registration would have made a signed-in session and run
 * provisioning, which a test must never do.
 */
public final class SetupSignIns {

	/** Prefix of the draft registrations' ids. */
	static final String REGISTRATION_PREFIX = "setup:";

	private final IdentityProviders providers;

	private final OidcMetadata metadata;

	private final IdpHttp http;

	private final SecretCipher cipher;

	private final AccountRepository accounts;

	private final SigningCertificates certificates;

	private final ClientAssertions assertions;

	private final Duration clockSkew;

	private final Clock clock;

	public SetupSignIns(IdentityProviders providers, OidcMetadata metadata, IdpHttp http, SecretCipher cipher,
			AccountRepository accounts, SigningCertificates certificates, ClientAssertions assertions,
			Duration clockSkew, Clock clock) {
		this.providers = providers;
		this.metadata = metadata;
		this.http = http;
		this.cipher = cipher;
		this.accounts = accounts;
		this.certificates = certificates;
		this.assertions = assertions;
		this.clockSkew = clockSkew;
		this.clock = clock;
	}

	/**
	 * The draft as SSO settings, for the verifier and the provider; mode and provisioning
	 * as given. A certificate draft keeps the live secret, if there is one (as
	 * {@code PUT .../sso} with {@code credentialType} {@code certificate} and no secret
	 * does), so switching back needs no new secret.
	 */
	static SsoSettings settings(SetupSession.Draft draft, SsoSettings.Mode mode, SsoSettings.Provisioning provisioning,
			@Nullable SsoSettings live, java.time.Instant now) {
		String directoryId = draft.directoryId();
		String clientId = draft.clientId();
		Assert.state(directoryId != null && clientId != null, "only a complete draft has settings");
		SealedSecret secret = draft.clientSecret();
		LocalDate secretExpiresAt = draft.clientSecretExpiresAt();
		if (draft.usesCertificate() && secret == null && live != null) {
			secret = live.clientSecret();
			secretExpiresAt = live.clientSecretExpiresAt();
		}
		return new SsoSettings(draft.provider(), directoryId, clientId, secret, secretExpiresAt, mode, provisioning,
				now, (live != null) ? live.allowedGroups() : List.of(), live != null && live.linkByUsername(),
				draft.credentialType());
	}

	/**
	 * The session's draft as SSO settings (mode and provisioning are chosen only at
	 * activation).
	 */
	static SsoSettings draft(Tenant tenant, SetupSession session, Clock clock) {
		return settings(session.draft(), SsoSettings.Mode.REQUIRED, SsoSettings.Provisioning.EXISTING_ONLY,
				tenant.sso(), clock.instant());
	}

	/**
	 * Starts a test sign-in: the authorization request for the draft registration.
	 * @return the request; its state, nonce and verifier must be kept for the callback
	 */
	Mono<OAuth2AuthorizationRequest> authorizationRequest(ServerWebExchange exchange, Tenant tenant,
			SsoSettings draft) {
		String registrationId = REGISTRATION_PREFIX + tenant.slug();
		return registration(tenant, draft, null).flatMap(registration -> {
			var resolver = new DefaultServerOAuth2AuthorizationRequestResolver(id -> Mono.just(registration));
			// whoever tests picks the account: their browser may be signed in to
			// Microsoft as someone else
			resolver.setAuthorizationRequestCustomizer(
					builder -> builder.additionalParameters(parameters -> parameters.put("prompt", "select_account")));
			return resolver.resolve(exchange, registrationId);
		});
	}

	/** Where the administrator grants consent for the draft registration. */
	URI adminConsentUri(SsoSettings draft, String redirectUri, String state) {
		// the setup page is Entra's (its drafts are entra), whose provider has an
		// admin-consent page
		return this.providers.get(draft.provider())
			.adminConsentUri(draft, redirectUri, state)
			.orElseThrow(() -> new IllegalStateException("No admin-consent page for provider " + draft.provider()));
	}

	/**
	 * Completes a test sign-in from the provider's answer at the callback. Never fails:
	 * an error of the provider, the token endpoint or the ID token becomes a result that
	 * explains it.
	 * <p>
	 * A certificate draft redeems the code with a client assertion signed by the draft's
	 * certificate, PENDING as it is: the one place a PENDING certificate signs, because
	 * this sign-in is its test. It signs for this draft registration only
	 * ({@code setup:<slug>}, never the organisation's own), so live sign-ins still use
	 * the ACTIVE certificate alone.
	 * @param certificateId the draft's certificate, for a certificate draft
	 */
	Mono<TestSignInResult> complete(Tenant tenant, SsoSettings draft, @Nullable UUID certificateId,
			SetupSession.Flow flow, String state, MultiValueMap<String, String> query) {
		IdentityProvider provider = this.providers.get(draft.provider());
		Mono<Optional<SigningCertificate>> certificate = (draft
			.credentialType() == SsoSettings.CredentialType.CERTIFICATE && certificateId != null)
					? this.certificates.find(tenant, certificateId)
						.filter(found -> found.status() != SigningCertificate.Status.RETIRED)
						.map(Optional::of)
						.defaultIfEmpty(Optional.empty())
					: Mono.just(Optional.empty());
		return certificate.flatMap(signing -> registration(tenant, draft, signing.orElse(null)))
			.flatMap(registration -> {
				OAuth2AuthorizationRequest request = OAuth2AuthorizationRequest.authorizationCode()
					.authorizationUri(flow.authorizationUri())
					.clientId(registration.getClientId())
					.redirectUri(flow.redirectUri())
					.scopes(Set.copyOf(flow.scopes()))
					.state(state)
					.attributes(attributes -> {
						attributes.put(OAuth2ParameterNames.REGISTRATION_ID, registration.getRegistrationId());
						attributes.put(OidcParameterNames.NONCE, flow.nonce());
						attributes.put(PkceParameterNames.CODE_VERIFIER, flow.codeVerifier());
					})
					.build();
				String error = query.getFirst(OAuth2ParameterNames.ERROR);
				OAuth2AuthorizationResponse response = (error != null)
						? OAuth2AuthorizationResponse.error(error)
							.errorDescription(query.getFirst(OAuth2ParameterNames.ERROR_DESCRIPTION))
							.redirectUri(flow.redirectUri())
							.state(state)
							.build()
						: OAuth2AuthorizationResponse.success(String.valueOf(query.getFirst(OAuth2ParameterNames.CODE)))
							.redirectUri(flow.redirectUri())
							.state(state)
							.build();
				var manager = new OidcAuthorizationCodeReactiveAuthenticationManager(tokenClient(),
						userRequest -> Mono.just(new DefaultOidcUser(Set.of(), userRequest.getIdToken())));
				manager.setJwtDecoderFactory(reg -> decoder(reg, provider, draft));
				return manager
					.authenticate(new OAuth2AuthorizationCodeAuthenticationToken(registration,
							new OAuth2AuthorizationExchange(request, response)))
					.cast(OAuth2LoginAuthenticationToken.class)
					.flatMap(signedIn -> described(tenant, draft, provider, (OidcUser) signedIn.getPrincipal()));
			})
			.onErrorResume(ex -> Mono.just(TestSignInResult.failed(this.clock.instant(), explain(provider, ex))));
	}

	/** The provider's explanation of a failure, as on the sign-in error pages. */
	Explained explain(IdentityProvider provider, Throwable failure) {
		if (failure instanceof OAuth2AuthenticationException oauth) {
			OAuth2Error error = oauth.getError();
			var explained = provider.explain(error.getErrorCode(), error.getDescription());
			if (explained.isPresent()) {
				return Explained.of(explained.get());
			}
			return switch (error.getErrorCode()) {
				case "invalid_id_token", "invalid_nonce", "invalid_state_parameter" -> new Explained(
						error.getErrorCode(), "The sign-in could not be verified",
						"Microsoft's answer did not pass ioTORQ LEAN's security checks (" + error.getErrorCode() + ").",
						ProviderError.Actor.LEAN_SUPPORT.label(),
						"Check that the Tenant ID is the directory of this app registration, then test again. If it "
								+ "persists, contact LEAN support.",
						null);
				case "idp_unavailable" -> unavailable();
				default -> new Explained(error.getErrorCode(), "Microsoft could not sign you in",
						"Microsoft Entra ID reported the error " + error.getErrorCode() + ".",
						ProviderError.Actor.IDP_ADMIN.label(), "Check the app registration, then test again.", null);
			};
		}
		return unavailable();
	}

	private static Explained unavailable() {
		return new Explained("idp_unavailable", "Microsoft did not answer",
				"ioTORQ LEAN could not reach Microsoft Entra ID with these credentials just now.",
				ProviderError.Actor.USER.label(),
				"Check the Tenant ID, then try again in a minute. If it persists, contact LEAN support.", null);
	}

	/**
	 * What LEAN received and what it would do with this person: reads accounts, changes
	 * none.
	 */
	private Mono<TestSignInResult> described(Tenant tenant, SsoSettings draft, IdentityProvider provider,
			OidcUser user) {
		SignInIdentity identity = provider.identity(user, draft);
		GroupClaims groups = provider.groups(user, draft);
		String groupText = switch (groups.kind()) {
			case LISTED -> groups.groupIds().size() + ((groups.groupIds().size() == 1) ? " group" : " groups");
			case OVERAGE -> "overage: more groups than fit in a sign-in (Microsoft sent a reference instead)";
			case ABSENT -> "not sent (the app registration has no groups claim)";
		};
		Mono<Match> linked = this.accounts.findByIdentity(tenant.id(), identity.directoryId(), identity.objectId())
			.map(account -> new Match(account, true));
		Mono<Match> byEmail = (identity.email() == null) ? Mono.empty()
				: this.accounts.findByEmail(tenant.id(), identity.email()).map(account -> new Match(account, false));
		return linked.switchIfEmpty(byEmail)
			.map(java.util.Optional::of)
			.defaultIfEmpty(java.util.Optional.empty())
			.map(match -> {
				Account account = match.map(Match::account).orElse(null);
				boolean usable = match.isPresent()
						&& (match.get().linked() || (!match.get().account().isLinked() && identity.emailVerified()));
				return new TestSignInResult(this.clock.instant(), true, identity.displayName(), identity.email(),
						identity.emailVerified(), identity.objectId(), identity.directoryId(), groupText,
						accountText(match.orElse(null), identity),
						outcomes(usable ? account : null, match.isPresent() && !usable, identity), null);
			});
	}

	private static String accountText(@Nullable Match match, SignInIdentity identity) {
		if (match == null) {
			return "No LEAN account has this person's email" + ((identity.email() == null) ? " (none was sent)" : "")
					+ ".";
		}
		Account account = match.account();
		String which = "The LEAN account " + account.email() + " (" + account.status() + ")";
		if (match.linked()) {
			return which + " is already linked to this person.";
		}
		if (account.isLinked()) {
			return which + " has this email but is linked to another person in the directory: it is not handed over.";
		}
		if (!identity.emailVerified()) {
			return which
					+ " has this email, but the directory does not vouch for the email, so it would not be linked.";
		}
		return which + " matches by email and would be linked to this person at their first sign-in.";
	}

	private static List<TestSignInResult.Outcome> outcomes(@Nullable Account account, boolean blocked,
			SignInIdentity identity) {
		List<TestSignInResult.Outcome> outcomes = new ArrayList<>();
		for (SsoSettings.Provisioning policy : SsoSettings.Provisioning.values()) {
			outcomes.add(new TestSignInResult.Outcome(policy.name(), outcome(policy, account, blocked, identity)));
		}
		return outcomes;
	}

	private static String outcome(SsoSettings.Provisioning policy, @Nullable Account account, boolean blocked,
			SignInIdentity identity) {
		if (account != null) {
			return switch (account.status()) {
				case ACTIVE -> "Signs in with the account " + account.email() + ".";
				case PENDING_ACTIVATION ->
					"Refused until the account " + account.email() + " is activated; the activation email is sent.";
				case DISABLED -> "Refused: the account " + account.email() + " is disabled.";
			};
		}
		if (blocked) {
			return "Refused: the account with this email cannot be linked to this person.";
		}
		if (policy == SsoSettings.Provisioning.EXISTING_ONLY) {
			return "Refused: there is no LEAN account for this person; an administrator must create one first.";
		}
		if (identity.email() == null) {
			return "Refused: the sign-in carries no email address to create an account for.";
		}
		if (policy == SsoSettings.Provisioning.AUTO_ACTIVATE && identity.emailVerified()) {
			return "An active account is created for " + identity.email() + " and the person is signed in.";
		}
		return "An account is created for " + identity.email()
				+ " and waits for activation: an activation email is sent to that address.";
	}

	/**
	 * The draft registration. A certificate draft's authenticates with
	 * {@code private_key_jwt}, its key registered only when {@code certificate} is given
	 * (redeeming the code of the test).
	 */
	private Mono<ClientRegistration> registration(Tenant tenant, SsoSettings draft,
			@Nullable SigningCertificate certificate) {
		IdentityProvider provider = this.providers.get(draft.provider());
		URI issuer = provider.issuer(draft);
		boolean withCertificate = draft.credentialType() == SsoSettings.CredentialType.CERTIFICATE;
		return this.metadata.forIssuer(issuer).map(document -> {
			ClientRegistration.Builder builder = ClientRegistrations.fromOidcConfiguration(document)
				.registrationId(REGISTRATION_PREFIX + tenant.slug())
				.clientName(tenant.displayName())
				.clientId(draft.clientId())
				.redirectUri("{baseUrl}" + GatewayPaths.CALLBACK)
				.scope(provider.scopes(draft))
				.userNameAttributeName("sub");
			if (!withCertificate) {
				return builder.clientSecret(this.cipher.open(draft.requiredClientSecret(), tenant.id().toString()))
					.clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_POST)
					.build();
			}
			ClientRegistration registration = builder
				.clientAuthenticationMethod(ClientAuthenticationMethod.PRIVATE_KEY_JWT)
				.build();
			if (certificate != null) {
				this.assertions.register(registration, this.certificates.signingKey(tenant, certificate));
			}
			return registration;
		});
	}

	private ReactiveOAuth2AccessTokenResponseClient<OAuth2AuthorizationCodeGrantRequest> tokenClient() {
		var client = new WebClientReactiveAuthorizationCodeTokenResponseClient();
		client.setWebClient(this.http.webClient());
		// a certificate draft: client_assertion_type and client_assertion, signed with
		// the draft's certificate
		client.addParametersConverter(this.assertions::parameters);
		return request -> this.http.bounded(client.getTokenResponse(request))
			.onErrorMap(ex -> !(ex instanceof OAuth2AuthorizationException),
					ex -> new OAuth2AuthorizationException(new OAuth2Error("idp_unavailable",
							"The token endpoint did not answer: " + ex.getClass().getSimpleName(), null), ex));
	}

	/**
	 * The ID token checks of real sign-ins, for the draft: a decoder per test, the
	 * draft's keys.
	 */
	private ReactiveJwtDecoder decoder(ClientRegistration registration, IdentityProvider provider, SsoSettings draft) {
		NimbusReactiveJwtDecoder decoder = NimbusReactiveJwtDecoder
			.withJwkSetUri(registration.getProviderDetails().getJwkSetUri())
			.webClient(this.http.webClient())
			.jwsAlgorithm(SignatureAlgorithm.RS256)
			.build();
		OidcIdTokenValidator oidc = new OidcIdTokenValidator(registration);
		oidc.setClockSkew(this.clockSkew);
		List<OAuth2TokenValidator<Jwt>> validators = new ArrayList<>();
		validators.add(new JwtTimestampValidator(this.clockSkew));
		validators.add(oidc);
		validators.addAll(provider.idTokenValidators(draft));
		decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(validators));
		decoder.setClaimSetConverter(
				new ClaimTypeConverter(ReactiveOidcIdTokenDecoderFactory.createDefaultClaimTypeConverters()));
		return decoder;
	}

	/** A registration's scopes as kept with a flow. */
	static List<String> scopes(OAuth2AuthorizationRequest request) {
		return List.copyOf(request.getScopes());
	}

	private record Match(Account account, boolean linked) {
	}

}
