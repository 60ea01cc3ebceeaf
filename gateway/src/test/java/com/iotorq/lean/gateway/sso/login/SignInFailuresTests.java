package com.iotorq.lean.gateway.sso.login;

import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.security.authentication.AuthenticationServiceException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.client.authentication.OAuth2AuthorizationCodeAuthenticationToken;
import org.springframework.security.oauth2.client.endpoint.OAuth2AuthorizationCodeGrantRequest;
import org.springframework.security.oauth2.client.endpoint.ReactiveOAuth2AccessTokenResponseClient;
import org.springframework.security.oauth2.client.oidc.authentication.OidcAuthorizationCodeReactiveAuthenticationManager;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserRequest;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.userinfo.ReactiveOAuth2UserService;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2AuthorizationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.endpoint.OAuth2AccessTokenResponse;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationExchange;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationResponse;
import org.springframework.security.oauth2.core.oidc.endpoint.OidcParameterNames;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.web.server.WebFilterExchange;

import com.iotorq.lean.gateway.sso.oidc.IdpHttp;
import com.iotorq.lean.gateway.account.SignInRefusedException;
import com.iotorq.lean.gateway.audit.SignInEvent;
import com.iotorq.lean.gateway.sso.provider.entra.EntraIdentityProvider;
import com.iotorq.lean.gateway.sso.oidc.IdTokenDecoders;
import com.iotorq.lean.gateway.sso.provider.IdentityProviders;
import com.iotorq.lean.gateway.sso.provider.OidcIdentityProvider;
import com.iotorq.lean.gateway.sso.provider.OidcProperties;
import com.iotorq.lean.gateway.sso.provider.ProviderError;
import com.iotorq.lean.gateway.tenant.SsoSettings;
import com.iotorq.lean.gateway.tenant.Tenant;
import com.iotorq.lean.gateway.tenant.TenantAttributes;
import com.iotorq.lean.gateway.test.TestSsoProperties;
import com.iotorq.lean.gateway.test.TestSsoSettings;
import com.iotorq.lean.gateway.test.TestTenants;
import com.iotorq.lean.gateway.web.ErrorCode;
import com.iotorq.lean.gateway.web.ErrorReport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Each kind of sign-in failure, from the exception Spring Security really produces: ID
 * tokens crafted here go through the gateway's ID token decoder (Nimbus, Spring
 * Security's validators and the coded checks) inside Spring Security's own
 * {@link OidcAuthorizationCodeReactiveAuthenticationManager}, and the failure lands where
 * the handlers find it. Each case checks what the person sees, what the audit records and
 * what the metric counts.
 */
class SignInFailuresTests {

	private static final String ISSUER = "https://login.example/" + UUID.randomUUID() + "/v2.0";

	private static final String CLIENT_ID = UUID.randomUUID().toString();

	private static final String DIRECTORY = UUID.randomUUID().toString();

	private static final String NONCE = "nonce-" + UUID.randomUUID();

	private static final String STATE = "state-" + UUID.randomUUID();

	private static final RSAKey KEY = rsa("key-1");

	/** Another key published under the same key id: its signatures do not verify. */
	private static final RSAKey IMPOSTOR = rsa("key-1");

	private static final JWKSet PUBLISHED = new JWKSet(KEY.toPublicJWK());

	private final EntraIdentityProvider entra = new EntraIdentityProvider(
			TestSsoProperties.builder().authority("https://login.example/").build());

	private final SsoSettings settings = TestSsoSettings.entra().directoryId(DIRECTORY).clientId(CLIENT_ID).build();

	private final Tenant acme = TestTenants.tenant().slug("acme").sso(this.settings).build();

	private final SignInFailures failures = new SignInFailures(
			new IdentityProviders(List.of(this.entra, new OidcIdentityProvider(new OidcProperties(false)))));

	private final ClientRegistration registration = ClientRegistration.withRegistrationId("acme")
		.clientId(CLIENT_ID)
		.clientSecret("secret")
		.authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
		.redirectUri("https://acme.example/oauth/callback/")
		.scope("openid")
		.authorizationUri(ISSUER + "/authorize")
		.tokenUri(ISSUER + "/token")
		.jwkSetUri(ISSUER + "/keys")
		.issuerUri(ISSUER)
		.build();

	// provider errors

	@Test
	void providerErrorWithAadstsCodeThenExplainedWithWhoMustActAndCorrelationId() {
		String correlationId = UUID.randomUUID().toString();
		SignInFailure failure = classify(signIn(OAuth2AuthorizationResponse.error("access_denied")
			.errorDescription("AADSTS50105: Your administrator has configured the application to block users.\r\n"
					+ "Trace ID: x\r\nCorrelation ID: " + correlationId + "\r\nTimestamp: y"),
				null));
		assertThat(failure).isInstanceOf(SignInFailure.ProviderFailed.class);
		assertThat(failure.reason()).isEqualTo("idp_error");
		assertThat(failure.metricTag()).isEqualTo("AADSTS50105");
		ErrorReport page = failure.page();
		assertThat(page.code()).isEqualTo(ErrorCode.SIGN_IN_FAILED.code());
		assertThat(page.status()).isEqualTo(HttpStatus.FORBIDDEN);
		assertThat(page.facts()).extracting(ErrorReport.Fact::field, ErrorReport.Fact::value)
			.contains(tuple("fixedBy", ProviderError.Actor.IDP_ADMIN.label()), tuple("correlationId", correlationId));
		SignInEvent audited = failure.auditEvent();
		assertThat(audited.errorCode()).isEqualTo("AADSTS50105");
		assertThat(audited.correlationId()).isEqualTo(correlationId);
		assertThat(audited.success()).isFalse();
	}

	@Test
	void providerErrorWithUnsafeCodeThenShownAsInvalidError() {
		SignInFailure failure = this.failures.classify(this.acme,
				new OAuth2AuthenticationException(new OAuth2Error("<script>", "whatever", null)));
		assertThat(failure).isEqualTo(new SignInFailure.ProviderFailed("invalid_error", null));
		assertThat(failure.metricTag()).isEqualTo("invalid_error");
		assertThat(failure.auditEvent().errorCode()).isEqualTo("invalid_error");
	}

	@Test
	void providerUnreachableThenUnavailablePageWithRetryAfter() {
		// as PublicSecurityConfiguration's token client reports a token endpoint that did
		// not answer
		SignInFailure failure = classify(signIn(success(),
				request -> Mono.error(new OAuth2AuthorizationException(
						new OAuth2Error(IdpHttp.IDP_UNAVAILABLE,
								"The identity provider's token endpoint did not answer", null),
						new ConnectException("Connection refused")))));
		assertThat(failure).isInstanceOf(SignInFailure.ProviderUnreachable.class);
		assertThat(failure.reason()).isEqualTo("idp_unavailable");
		assertThat(failure.page().code()).isEqualTo(ErrorCode.IDP_UNAVAILABLE.code());
		assertThat(failure.page().retryAfter()).isEqualTo(Duration.ofSeconds(30));
		assertThat(failure.metricTag()).isEqualTo("idp-unavailable");
		assertThat(failure.auditEvent().detail()).isEqualTo("The identity provider's token endpoint did not answer");
	}

	// the ID token

	static Stream<Arguments> claims() {
		return Stream.of(Arguments.of("iss", claims(c -> c.issuer("https://evil.example/v2.0"))),
				Arguments.of("aud", claims(c -> c.audience(UUID.randomUUID().toString()))),
				Arguments.of("azp", claims(c -> c.audience(List.of(CLIENT_ID, UUID.randomUUID().toString())))),
				Arguments.of("sub", claims(c -> c.subject(null))),
				Arguments.of("iat", claims(c -> c.issueTime(Date.from(Instant.now().plus(Duration.ofMinutes(10)))))),
				Arguments.of("exp",
						claims(c -> c.issueTime(Date.from(Instant.now().minus(Duration.ofHours(2))))
							.notBeforeTime(Date.from(Instant.now().minus(Duration.ofHours(2))))
							.expirationTime(Date.from(Instant.now().minus(Duration.ofMinutes(10)))))),
				Arguments.of("nbf",
						claims(c -> c.notBeforeTime(Date.from(Instant.now().plus(Duration.ofMinutes(10)))))),
				Arguments.of("tid", claims(c -> c.claim("tid", UUID.randomUUID().toString()))),
				Arguments.of("oid", claims(c -> c.claim("oid", null))),
				Arguments.of("nonce", claims(c -> c.claim("nonce", hash("replayed")))));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("claims")
	void idTokenWhenOneClaimFailsThenThatCheckNamed(String check, JWTClaimsSet claims) {
		SignInFailure failure = classify(signIn(success(), tokenAnswer(sign(claims, KEY, JWSAlgorithm.RS256))));
		assertRejected(failure, check);
	}

	@Test
	void idTokenWhenSignatureWrongThenSignature() {
		SignInFailure failure = classify(
				signIn(success(), tokenAnswer(sign(claims(c -> c), IMPOSTOR, JWSAlgorithm.RS256))));
		assertRejected(failure, "signature");
	}

	@Test
	void idTokenWhenSignedWithUnknownKeyThenKid() {
		SignInFailure failure = classify(
				signIn(success(), tokenAnswer(sign(claims(c -> c), rsa("rotated-away"), JWSAlgorithm.RS256))));
		assertRejected(failure, "kid");
	}

	@Test
	void idTokenWhenSignedWithSharedSecretOrUnsignedThenAlg() throws JOSEException {
		SignedJWT hmac = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(KEY.getKeyID()).build(),
				claims(c -> c));
		hmac.sign(new MACSigner(CLIENT_ID + CLIENT_ID));
		assertRejected(classify(signIn(success(), tokenAnswer(hmac.serialize()))), "alg");
		assertRejected(classify(signIn(success(), tokenAnswer(new PlainJWT(claims(c -> c)).serialize()))), "alg");
	}

	@Test
	void idTokenWhenProviderListsNoAsymmetricAlgorithmThenAlg() {
		var manager = manager(tokenAnswer(sign(claims(c -> c), KEY, JWSAlgorithm.RS256)), Set.of());
		assertRejected(classify(authenticate(manager, success())), "alg");
	}

	@Test
	void idTokenWhenNotAJwtThenFormat() {
		assertRejected(classify(signIn(success(), tokenAnswer("not-a-token"))), "format");
	}

	@Test
	void idTokenWhenValidThenReachesTheUserService() {
		// the fixture's own token passes every check: the cases above fail for their one
		// change only
		SignInRefusedException refused = new SignInRefusedException(ErrorCode.ACCOUNT_NOT_FOUND, null,
				"eve@acme.example", "no account with this email", null);
		SignInFailure failure = classify(
				authenticate(manager(tokenAnswer(sign(claims(c -> c), KEY, JWSAlgorithm.RS256)),
						EnumSet.of(SignatureAlgorithm.RS256), request -> Mono.error(refused)), success()));
		assertThat(failure).isEqualTo(new SignInFailure.Refused(refused));
	}

	// refusals, callbacks, the rest

	@Test
	void refusedAccountThenRefusalsPageAndAuditWithWho() {
		SignInRefusedException refused = new SignInRefusedException(ErrorCode.ACCOUNT_DISABLED, UUID.randomUUID(),
				"ada@acme.example", null, null);
		SignInFailure failure = this.failures.classify(this.acme, refused);
		assertThat(failure.reason()).isEqualTo("account_disabled");
		assertThat(failure.page().code()).isEqualTo(ErrorCode.ACCOUNT_DISABLED.code());
		assertThat(failure.metricTag()).isEqualTo("account-disabled");
		SignInEvent audited = failure.auditEvent();
		assertThat(audited.accountId()).isEqualTo(refused.accountId());
		assertThat(audited.email()).isEqualTo("ada@acme.example");
	}

	@Test
	void refusedWithProviderExplanationThenItsCodeCounted() {
		ErrorReport report = ErrorReport.of(ErrorCode.NOT_IN_ALLOWED_GROUP)
			.withFact("error", "Error code", "groups_missing");
		SignInFailure failure = this.failures.classify(this.acme, new SignInRefusedException(
				ErrorCode.GROUP_MEMBERSHIP_UNKNOWN, null, "ada@acme.example", "overage", report));
		assertThat(failure.reason()).isEqualTo("group_membership_unknown");
		assertThat(failure.page()).isSameAs(report);
		assertThat(failure.metricTag()).isEqualTo("groups_missing");
		assertThat(failure.auditEvent().detail()).isEqualTo("overage");
	}

	@Test
	void stateMismatchThenCallbackInvalid() {
		SignInFailure failure = classify(authenticate(
				manager(tokenAnswer("unused"), EnumSet.of(SignatureAlgorithm.RS256), request -> Mono.empty()),
				OAuth2AuthorizationResponse.success("code").state("another-state")));
		assertThat(failure).isEqualTo(new SignInFailure.CallbackInvalid("invalid_state_parameter"));
		assertThat(failure.reason()).isEqualTo("callback_invalid");
		assertThat(failure.page().code()).isEqualTo(ErrorCode.SIGN_IN_EXPIRED.code());
		assertThat(failure.page().link()).isNotNull();
		assertThat(failure.metricTag()).isEqualTo("sign-in-expired");
		assertThat(failure.auditEvent().detail()).isEqualTo("invalid_state_parameter");
	}

	@Test
	void ssoNoLongerEnabledThenSsoNotEnabledPageWithoutRetry() {
		SignInFailure failure = this.failures.classify(this.acme,
				new OAuth2AuthenticationException(new OAuth2Error("sso_not_enabled")));
		assertThat(failure.reason()).isEqualTo("sso_not_enabled");
		assertThat(failure.page().code()).isEqualTo(ErrorCode.SSO_NOT_ENABLED.code());
		assertThat(failure.page().link()).isNull();
	}

	@Test
	void unexpectedFailureThenSignInFailedWithItsType() {
		SignInFailure failure = this.failures.classify(this.acme, new AuthenticationServiceException("boom"));
		assertThat(failure).isEqualTo(new SignInFailure.Unexpected("AuthenticationServiceException", "boom"));
		assertThat(failure.reason()).isEqualTo("sign_in_failed");
		assertThat(failure.page().code()).isEqualTo(ErrorCode.SIGN_IN_FAILED.code());
		assertThat(failure.metricTag()).isEqualTo("sign-in-failed");
		assertThat(failure.auditEvent().detail()).isEqualTo("AuthenticationServiceException");
	}

	@Test
	void classifiedOncePerExchangeForTheAuditThePageAndTheMetric() {
		MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/oauth/callback/"));
		exchange.getAttributes().put(TenantAttributes.TENANT, this.acme);
		WebFilterExchange filterExchange = new WebFilterExchange(exchange, e -> Mono.empty());
		AuthenticationException exception = signIn(
				OAuth2AuthorizationResponse.error("access_denied").errorDescription("AADSTS50105: blocked"), null);
		SignInFailure first = this.failures.classify(filterExchange, exception);
		assertThat(first.metricTag()).isEqualTo("AADSTS50105"); // the exchange's
																// organisation explained
																// it
		assertThat(this.failures.classify(filterExchange, exception)).isSameAs(first);
		assertThat(this.failures.classify(filterExchange, new AuthenticationServiceException("another")))
			.isInstanceOf(SignInFailure.Unexpected.class);
	}

	// helpers

	/** The token endpoint's answer (or failure) to the code redemption. */
	private interface TokenClient extends ReactiveOAuth2AccessTokenResponseClient<OAuth2AuthorizationCodeGrantRequest> {

	}

	private void assertRejected(SignInFailure failure, String check) {
		assertThat(failure).isInstanceOf(SignInFailure.IdTokenRejected.class);
		SignInFailure.IdTokenRejected rejected = (SignInFailure.IdTokenRejected) failure;
		assertThat(rejected.checks()).as(rejected.explanation()).containsExactly(check);
		assertThat(failure.reason()).isEqualTo("id_token_rejected");
		assertThat(failure.page().code()).isEqualTo(ErrorCode.SIGN_IN_REJECTED.code());
		assertThat(failure.metricTag()).isEqualTo("sign-in-rejected");
		SignInEvent audited = failure.auditEvent();
		assertThat(audited.detail()).startsWith(check + " (").doesNotContain("eyJ");
		assertThat(audited.errorCode()).isNull();
	}

	private SignInFailure classify(AuthenticationException exception) {
		return this.failures.classify(this.acme, exception);
	}

	/**
	 * A callback with this authorization response, through the manager with the gateway's
	 * decoder.
	 */
	private AuthenticationException signIn(OAuth2AuthorizationResponse.Builder response, @Nullable TokenClient tokens) {
		return authenticate(
				manager((tokens != null) ? tokens : tokenAnswer("unused"), EnumSet.of(SignatureAlgorithm.RS256)),
				response);
	}

	private OidcAuthorizationCodeReactiveAuthenticationManager manager(TokenClient tokens,
			Set<SignatureAlgorithm> algorithms) {
		return manager(tokens, algorithms, request -> Mono.error(new IllegalStateException("the token should fail")));
	}

	private OidcAuthorizationCodeReactiveAuthenticationManager manager(TokenClient tokens,
			Set<SignatureAlgorithm> algorithms, ReactiveOAuth2UserService<OidcUserRequest, OidcUser> users) {
		var manager = new OidcAuthorizationCodeReactiveAuthenticationManager(tokens, users);
		manager.setJwtDecoderFactory(registration -> IdTokenDecoders.decoder(registration, algorithms,
				jwt -> Flux.fromIterable(new JWKSelector(JWKMatcher.forJWSHeader(jwt.getHeader())).select(PUBLISHED)),
				Duration.ofSeconds(60), this.entra.idTokenValidators(this.settings)));
		return manager;
	}

	private AuthenticationException authenticate(OidcAuthorizationCodeReactiveAuthenticationManager manager,
			OAuth2AuthorizationResponse.Builder response) {
		OAuth2AuthorizationRequest request = OAuth2AuthorizationRequest.authorizationCode()
			.authorizationUri(ISSUER + "/authorize")
			.clientId(CLIENT_ID)
			.redirectUri(this.registration.getRedirectUri())
			.scopes(Set.of("openid"))
			.state(STATE)
			.attributes(attributes -> attributes.put(OidcParameterNames.NONCE, NONCE))
			.build();
		var exchange = new OAuth2AuthorizationExchange(request,
				response.redirectUri(this.registration.getRedirectUri()).build());
		return catchThrowableOfType(AuthenticationException.class,
				() -> manager.authenticate(new OAuth2AuthorizationCodeAuthenticationToken(this.registration, exchange))
					.block(Duration.ofSeconds(10)));
	}

	private static OAuth2AuthorizationResponse.Builder success() {
		return OAuth2AuthorizationResponse.success("code").state(STATE);
	}

	private static TokenClient tokenAnswer(String idToken) {
		return request -> Mono.just(OAuth2AccessTokenResponse.withToken("access-token")
			.tokenType(OAuth2AccessToken.TokenType.BEARER)
			.expiresIn(3600)
			.additionalParameters(Map.of(OidcParameterNames.ID_TOKEN, idToken))
			.build());
	}

	/** A valid Entra ID token for the fixture's sign-in, changed by {@code change}. */
	private static JWTClaimsSet claims(UnaryOperator<JWTClaimsSet.Builder> change) {
		Instant now = Instant.now();
		JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().issuer(ISSUER)
			.subject("subject-1")
			.audience(CLIENT_ID)
			.issueTime(Date.from(now))
			.notBeforeTime(Date.from(now))
			.expirationTime(Date.from(now.plus(Duration.ofHours(1))))
			.claim("nonce", hash(NONCE))
			.claim("tid", DIRECTORY)
			.claim("oid", UUID.randomUUID().toString());
		return change.apply(claims).build();
	}

	private static String sign(JWTClaimsSet claims, RSAKey key, JWSAlgorithm algorithm) {
		try {
			SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(algorithm).keyID(key.getKeyID()).build(), claims);
			jwt.sign(new RSASSASigner(key));
			return jwt.serialize();
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * The nonce claim for a nonce, as Spring Security's authorization request resolver
	 * makes it.
	 */
	private static String hash(String nonce) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256").digest(nonce.getBytes(StandardCharsets.US_ASCII));
			return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
		}
		catch (java.security.NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static RSAKey rsa(String kid) {
		try {
			return new RSAKeyGenerator(2048).keyID(kid).generate();
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
