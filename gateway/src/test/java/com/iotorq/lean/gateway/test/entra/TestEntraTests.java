package com.iotorq.lean.gateway.test.entra;

import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import com.iotorq.lean.gateway.test.entra.TestEntra.Signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/** Drives {@link TestEntra} over real HTTP, as the gateway will. */
class TestEntraTests {

	private static final String TID = "6f1c3b2a-9d4e-4f7a-8b1c-2d3e4f5a6b7c";

	private static final String CLIENT_ID = "0b7e8c1d-2f3a-4b5c-8d9e-0f1a2b3c4d5e";

	private static final String SECRET = "Qx8~abc.DEF_ghi-123";

	private static final String REDIRECT = "http://acme.lean.test:8080/oauth/complete/";

	private static final String VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";

	private static final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

	private static final JsonMapper json = JsonMapper.builder().build();

	private TestEntra entra;

	private TestEntra.Directory directory;

	private TestEntra.App app;

	private TestEntra.User ada;

	@BeforeEach
	void start() {
		this.entra = TestEntra.start();
		this.directory = this.entra.directory(TID);
		this.app = this.directory.registerApp(CLIENT_ID, SECRET, REDIRECT);
		this.ada = this.directory.addUser("1c5a7e9b-0000-4000-8000-00000000ada1", "ada@acme.example", "Ada Lovelace");
	}

	@AfterEach
	void stop() {
		this.entra.close();
	}

	@Test
	void discoveryHasTheEntraShape() throws Exception {
		HttpResponse<String> response = get(
				this.entra.authority() + "/" + TID + "/v2.0/.well-known/openid-configuration");

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json; charset=utf-8");
		JsonNode doc = json.readTree(response.body());
		String base = this.entra.authority() + "/" + TID;
		assertThat(doc.get("issuer").asString()).isEqualTo(base + "/v2.0").isEqualTo(this.directory.issuer());
		assertThat(doc.get("authorization_endpoint").asString()).isEqualTo(base + "/oauth2/v2.0/authorize");
		assertThat(doc.get("token_endpoint").asString()).isEqualTo(base + "/oauth2/v2.0/token");
		assertThat(doc.get("jwks_uri").asString()).isEqualTo(base + "/discovery/v2.0/keys");
		assertThat(doc.get("end_session_endpoint").asString()).isEqualTo(base + "/oauth2/v2.0/logout");
		assertThat(doc.get("userinfo_endpoint").asString()).isEqualTo(this.entra.authority() + "/oidc/userinfo");
		assertThat(strings(doc.get("subject_types_supported"))).containsExactly("pairwise");
		assertThat(strings(doc.get("id_token_signing_alg_values_supported"))).containsExactly("RS256");
		assertThat(strings(doc.get("token_endpoint_auth_methods_supported"))).containsExactly("client_secret_post",
				"private_key_jwt", "client_secret_basic");
		assertThat(strings(doc.get("claims_supported"))).contains("oid", "tid", "email", "preferred_username");
		assertThat(doc.get("request_uri_parameter_supported").asBoolean()).isFalse();
		assertThat(doc.has("tenant_region_scope")).isTrue();
	}

	@Test
	void unknownTenantIsJsonOnApiEndpointsAndAPageInTheBrowser() throws Exception {
		HttpResponse<String> discovery = get(this.entra.authority() + "/nope/v2.0/.well-known/openid-configuration");
		HttpResponse<String> authorize = get(
				this.entra.authority() + "/nope/oauth2/v2.0/authorize?client_id=" + CLIENT_ID);

		assertThat(discovery.statusCode()).isEqualTo(400);
		JsonNode error = json.readTree(discovery.body());
		assertThat(error.get("error").asString()).isEqualTo("invalid_tenant");
		assertThat(error.get("error_description").asString()).startsWith("AADSTS90002: Tenant 'nope' not found.");
		assertThat(error.get("error_codes").get(0).asInt()).isEqualTo(90002);
		assertThat(error.get("trace_id").asString()).hasSize(36);
		assertThat(error.get("correlation_id").asString()).hasSize(36);
		assertThat(error.get("timestamp").asString()).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\dZ");
		assertThat(authorize.statusCode()).isEqualTo(400);
		assertThat(authorize.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
		assertThat(authorize.body()).contains("AADSTS90002");
	}

	@Test
	void codeFlowWithPkceAndClientSecretPostYieldsAVerifiableEntraIdToken() throws Exception {
		this.entra.signInAs(this.ada);

		HttpResponse<String> authorize = authorize(Map.of());
		assertThat(authorize.statusCode()).isEqualTo(302);
		String location = location(authorize);
		assertThat(location).startsWith(REDIRECT + "?code=");
		Map<String, String> callback = query(location);
		assertThat(callback).containsEntry("state", "st-1").containsKeys("code", "session_state");

		HttpResponse<String> token = redeem(callback.get("code"), VERIFIER);
		assertThat(token.statusCode()).isEqualTo(200);
		assertThat(token.headers().firstValue("Content-Type")).hasValue("application/json; charset=utf-8");
		JsonNode body = json.readTree(token.body());
		assertThat(body.get("token_type").asString()).isEqualTo("Bearer");
		assertThat(body.get("expires_in").asInt()).isEqualTo(3599);
		assertThat(body.get("ext_expires_in").asInt()).isEqualTo(3599);
		assertThat(body.get("scope").asString()).isEqualTo("openid profile email");
		assertThat(body.get("access_token").asString()).isNotBlank();

		String idToken = body.get("id_token").asString();
		JWTClaimsSet claims = verify(idToken);
		JWT parsed = JWTParser.parse(idToken);
		assertThat(parsed.getHeader().getAlgorithm().getName()).isEqualTo("RS256");
		assertThat(parsed.getHeader().toJSONObject()).containsEntry("typ", "JWT").containsKey("kid");
		assertThat(claims.getAudience()).containsExactly(CLIENT_ID);
		assertThat(claims.toJSONObject().get("aud")).isEqualTo(CLIENT_ID);
		assertThat(claims.getIssuer()).isEqualTo(this.entra.authority() + "/" + TID + "/v2.0");
		assertThat(claims.getStringClaim("nonce")).isEqualTo("n-1");
		assertThat(claims.getStringClaim("tid")).isEqualTo(TID);
		assertThat(claims.getStringClaim("oid")).isEqualTo(this.ada.oid());
		assertThat(claims.getSubject()).isEqualTo(sha256(this.ada.oid() + CLIENT_ID));
		assertThat(claims.getStringClaim("name")).isEqualTo("Ada Lovelace");
		assertThat(claims.getStringClaim("preferred_username")).isEqualTo("ada@acme.example");
		assertThat(claims.getStringClaim("email")).isEqualTo("ada@acme.example");
		assertThat(claims.getStringClaim("ver")).isEqualTo("2.0");
		assertThat(claims.getClaims()).containsKeys("uti", "rh", "aio", "nbf");
		assertThat(claims.getExpirationTime().getTime() - claims.getIssueTime().getTime()).isEqualTo(3_600_000);

		TestEntra.Recorded tokenRequest = this.entra.requestsTo("/oauth2/v2.0/token").get(0);
		assertThat(tokenRequest.method()).isEqualTo("POST");
		assertThat(tokenRequest.form("code_verifier")).isEqualTo(VERIFIER);
		assertThat(tokenRequest.form("client_secret")).isEqualTo(SECRET);
		TestEntra.Recorded authorizeRequest = this.entra.requestsTo("/oauth2/v2.0/authorize").get(0);
		assertThat(authorizeRequest.query("code_challenge_method")).isEqualTo("S256");
		assertThat(authorizeRequest.query("redirect_uri")).isEqualTo(REDIRECT);
	}

	@Test
	void clientSecretBasicAuthenticatesToo() throws Exception {
		this.entra.signInAs(this.ada);
		String code = query(location(authorize(Map.of()))).get("code");
		String basic = Base64.getEncoder()
			.encodeToString((CLIENT_ID + ":" + SECRET.replace("~", "%7E")).getBytes(StandardCharsets.UTF_8));

		HttpResponse<String> token = postForm(tokenUri(), Map.of("grant_type", "authorization_code", "code", code,
				"redirect_uri", REDIRECT, "code_verifier", VERIFIER), "Basic " + basic);

		assertThat(token.statusCode()).isEqualTo(200);
		assertThat(json.readTree(token.body()).has("id_token")).isTrue();
	}

	@Test
	void wrongSecretIsInvalidClient7000215() throws Exception {
		this.entra.signInAs(this.ada);
		String code = query(location(authorize(Map.of()))).get("code");

		HttpResponse<String> token = postForm(tokenUri(), codeForm(code, VERIFIER, "f3a9c2e1-secret-id"), null);

		assertError(token, 401, "invalid_client", 7000215);
		assertThat(description(token)).contains("client secret value, not the client secret ID")
			.contains("\r\nTrace ID: ")
			.contains("\r\nCorrelation ID: ")
			.contains("\r\nTimestamp: ");
	}

	@Test
	void expiredSecretIsInvalidClient7000222() throws Exception {
		this.entra.signInAs(this.ada);
		String code = query(location(authorize(Map.of()))).get("code");
		this.app.secretExpired(true);

		HttpResponse<String> token = redeem(code, VERIFIER);

		assertError(token, 401, "invalid_client", 7000222);
		assertThat(description(token))
			.contains("The provided client secret keys for app '" + CLIENT_ID + "' are expired");
	}

	@Test
	void unknownClientAtTheTokenEndpointIs700016() throws Exception {
		Map<String, String> form = new LinkedHashMap<>(codeForm("whatever", VERIFIER, SECRET));
		form.put("client_id", "11111111-2222-3333-4444-555555555555");

		assertError(postForm(tokenUri(), form, null), 400, "unauthorized_client", 700016);
	}

	@Test
	void codesAreSingleUse() throws Exception {
		this.entra.signInAs(this.ada);
		String code = query(location(authorize(Map.of()))).get("code");
		assertThat(redeem(code, VERIFIER).statusCode()).isEqualTo(200);

		assertError(redeem(code, VERIFIER), 400, "invalid_grant", 54005);
		assertError(redeem("1.Anever-issued", VERIFIER), 400, "invalid_grant", 70008);
	}

	@Test
	void codesExpireAfterTenMinutes() throws Exception {
		this.entra.signInAs(this.ada);
		String code = query(location(authorize(Map.of()))).get("code");
		this.entra.advanceClock(Duration.ofMinutes(11));

		assertError(redeem(code, VERIFIER), 400, "invalid_grant", 70008);
	}

	@Test
	void codeVerifierMustMatchTheChallenge() throws Exception {
		this.entra.signInAs(this.ada);
		String code = query(location(authorize(Map.of()))).get("code");

		assertError(redeem(code, "not-the-verifier-at-all-not-the-verifier-000"), 400, "invalid_grant", 501481);
		assertError(redeem(code, null), 400, "invalid_grant", 501481);
		assertThat(redeem(code, VERIFIER).statusCode()).as("a failed attempt does not use the code up").isEqualTo(200);
	}

	@Test
	void redirectUriOfTheTokenRequestMustBeTheAuthorizeOne() throws Exception {
		this.entra.signInAs(this.ada);
		String code = query(location(authorize(Map.of()))).get("code");
		Map<String, String> form = new LinkedHashMap<>(codeForm(code, VERIFIER, SECRET));
		form.put("redirect_uri", "http://acme.lean.test:8080/oauth/complete");

		assertError(postForm(tokenUri(), form, null), 400, "invalid_client", 500112);
	}

	@Test
	void redirectUriWithoutTheTrailingSlashGetsAnAadsts50011PageAndNoRedirect() throws Exception {
		this.entra.signInAs(this.ada);

		HttpResponse<String> response = authorize(Map.of("redirect_uri", "http://acme.lean.test:8080/oauth/complete"));

		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(response.headers().firstValue("Location")).isEmpty();
		assertThat(response.body()).contains("AADSTS50011")
			.contains("The redirect URI &#39;http://acme.lean.test:8080/oauth/complete&#39; specified in the request");
	}

	@Test
	void unknownClientAtAuthorizeGetsAnAadsts700016Page() throws Exception {
		HttpResponse<String> response = authorize(Map.of("client_id", "99999999-0000-0000-0000-000000000000"));

		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(response.headers().firstValue("Location")).isEmpty();
		assertThat(response.body()).contains("AADSTS700016");
	}

	@Test
	void unassignedUserIsSentBackWithAadsts50105() throws Exception {
		this.app.requireAssignment(true);
		this.entra.signInAs(this.ada);

		Map<String, String> callback = query(location(authorize(Map.of())));

		assertThat(callback).containsEntry("error", "access_denied")
			.containsEntry("state", "st-1")
			.containsKey("error_uri")
			.doesNotContainKey("code");
		assertThat(callback.get("error_description"))
			.startsWith("AADSTS50105: Your administrator has configured the application")
			.contains("\r\nTrace ID: ");
		this.app.assign(this.ada);
		assertThat(query(location(authorize(Map.of())))).containsKey("code");
	}

	@Test
	void errorRedirectsAreFormEncodedLikeEntras() throws Exception {
		this.app.requireAssignment(true);
		this.entra.signInAs(this.ada);

		assertThat(location(authorize(Map.of()))).contains("error_description=AADSTS50105%3a+Your+administrator");
	}

	@Test
	void adminConsentIsRequiredUntilAnAdministratorGrantsIt() throws Exception {
		this.app.requireAdminConsent(true);
		this.entra.signInAs(this.ada);
		assertThat(query(location(authorize(Map.of())))).containsEntry("error", "consent_required")
			.hasEntrySatisfying("error_description", d -> assertThat(d).startsWith("AADSTS65001: "));

		HttpResponse<String> consent = get(this.entra.authority() + "/" + TID + "/v2.0/adminconsent?client_id="
				+ CLIENT_ID + "&scope=" + enc("https://graph.microsoft.com/.default") + "&redirect_uri=" + enc(REDIRECT)
				+ "&state=c-1");

		assertThat(consent.statusCode()).isEqualTo(302);
		assertThat(query(location(consent))).containsEntry("admin_consent", "True")
			.containsEntry("tenant", TID)
			.containsEntry("scope", "https://graph.microsoft.com/.default")
			.containsEntry("state", "c-1");
		assertThat(this.app.adminConsented()).isTrue();
		assertThat(query(location(authorize(Map.of())))).containsKey("code");
	}

	@Test
	void adminConsentWithoutSignInAsAsksAndCancelDeclines() throws Exception {
		String path = this.entra.authority() + "/" + TID + "/v2.0/adminconsent";
		Map<String, String> params = new LinkedHashMap<>();
		params.put("client_id", CLIENT_ID);
		params.put("scope", "https://graph.microsoft.com/.default");
		params.put("redirect_uri", REDIRECT);
		params.put("state", "c-2");

		HttpResponse<String> page = get(path + "?client_id=" + CLIENT_ID + "&redirect_uri=" + enc(REDIRECT));
		params.put("consent", "cancel");
		Map<String, String> cancelled = query(location(postForm(path, params, null)));
		params.put("consent", "accept");
		Map<String, String> accepted = query(location(postForm(path, params, null)));

		assertThat(page.statusCode()).isEqualTo(200);
		assertThat(page.body()).contains("id=\"accept\"", "id=\"cancel\"");
		assertThat(cancelled).containsEntry("error", "access_denied").containsEntry("state", "c-2");
		assertThat(cancelled.get("error_description")).startsWith("AADSTS65004: ");
		assertThat(accepted).containsEntry("admin_consent", "True").containsEntry("tenant", TID);
		assertThat(this.app.adminConsented()).isTrue();
	}

	@Test
	void codeIssuedToAnotherAppOfTheDirectoryIsRefused() throws Exception {
		this.directory.registerApp("22222222-0000-0000-0000-000000000002", "other-secret", REDIRECT);
		this.entra.signInAs(this.ada);
		String code = query(location(authorize(Map.of()))).get("code");
		Map<String, String> form = new LinkedHashMap<>(codeForm(code, VERIFIER, "other-secret"));
		form.put("client_id", "22222222-0000-0000-0000-000000000002");

		assertError(postForm(tokenUri(), form, null), 400, "invalid_grant", 70000);
	}

	@Test
	void withoutSignInAsTheChooserListsUsersAndEscapesEchoedInput() throws Exception {
		this.directory.addUser("2b6c8f0a-0000-4000-8000-0000000b0b02", "bob@acme.example", "Bob <b>Builder</b>");

		HttpResponse<String> page = authorize(Map.of("state", "<script>alert(1)</script>"));

		assertThat(page.statusCode()).isEqualTo(200);
		assertThat(page.body()).contains("Ada Lovelace", "Bob &lt;b&gt;Builder&lt;/b&gt;", "id=\"cancel\"")
			.contains("value=\"&lt;script&gt;alert(1)&lt;/script&gt;\"")
			.doesNotContain("<script", "<b>");
	}

	@Test
	void chooserButtonsPostBackAndCancelDeclines() throws Exception {
		Map<String, String> original = authorizeParams(Map.of());
		String path = this.entra.authority() + "/" + TID + "/oauth2/v2.0/authorize";
		Map<String, String> pick = new LinkedHashMap<>(original);
		pick.put("oid", this.ada.oid());
		Map<String, String> cancel = new LinkedHashMap<>(original);
		cancel.put("cancel", "true");

		Map<String, String> picked = query(location(postForm(path, pick, null)));
		Map<String, String> cancelled = query(location(postForm(path, cancel, null)));

		assertThat(picked).containsKey("code").containsEntry("state", "st-1");
		assertThat(verify(json.readTree(redeem(picked.get("code"), VERIFIER).body()).get("id_token").asString())
			.getStringClaim("oid")).isEqualTo(this.ada.oid());
		assertThat(cancelled).containsEntry("error", "access_denied").containsEntry("error_subcode", "cancel");
		assertThat(cancelled.get("error_description"))
			.startsWith("AADSTS65004: User declined to consent to access the app.");
	}

	@Test
	void claimsTamperingAppliesToTheNextIdTokenOnly() throws Exception {
		this.entra.signInAs(this.ada);
		this.entra.tamperNextIdToken(claims -> claims.claim("tid", "other").build());

		JWTClaimsSet tampered = verify(idToken());
		JWTClaimsSet next = verify(idToken());

		assertThat(tampered.getStringClaim("tid")).isEqualTo("other");
		assertThat(next.getStringClaim("tid")).isEqualTo(TID);
	}

	@Test
	void algNoneProducesAnUnsecuredJwt() throws Exception {
		this.entra.signInAs(this.ada);
		this.entra.nextIdTokenSigning(Signing.ALG_NONE);

		String unsecured = idToken();

		assertThat(unsecured).endsWith(".");
		assertThat(JWTParser.parse(unsecured).getHeader().getAlgorithm().getName()).isEqualTo("none");
		assertThat(JWTParser.parse(idToken()).getHeader().getAlgorithm().getName()).isEqualTo("RS256");
	}

	@Test
	void wrongKeyUsesTheActiveKidButFailsVerification() throws Exception {
		this.entra.signInAs(this.ada);
		String activeKid = kid(idToken());
		this.entra.nextIdTokenSigning(Signing.WRONG_KEY);

		String forged = idToken();

		assertThat(kid(forged)).isEqualTo(activeKid);
		assertThatExceptionOfType(BadJOSEException.class).isThrownBy(() -> verify(forged));
	}

	@Test
	void unknownKidIsTheNextKeyAndIsAcceptedOnceRotatedIn() throws Exception {
		this.entra.signInAs(this.ada);
		String oldKid = kid(idToken());
		this.entra.nextIdTokenSigning(Signing.UNKNOWN_KID);
		String early = idToken();
		assertThat(jwksKids()).doesNotContain(kid(early));
		assertThatExceptionOfType(BadJOSEException.class).isThrownBy(() -> verify(early));

		this.entra.rotateKeys(true);

		assertThat(jwksKids()).containsExactlyInAnyOrder(kid(early), oldKid);
		assertThat(verify(early).getStringClaim("oid")).isEqualTo(this.ada.oid());
		assertThat(kid(idToken())).isEqualTo(kid(early));
		this.entra.rotateKeys(false);
		assertThat(jwksKids()).hasSize(1).doesNotContain(kid(early), oldKid);
	}

	@Test
	void clientCredentialsVerifiesTheSecret() throws Exception {
		Map<String, String> form = new LinkedHashMap<>();
		form.put("grant_type", "client_credentials");
		form.put("client_id", CLIENT_ID);
		form.put("client_secret", SECRET);
		form.put("scope", "https://graph.microsoft.com/.default");

		HttpResponse<String> ok = postForm(tokenUri(), form, null);
		form.put("client_secret", "wrong");
		HttpResponse<String> wrong = postForm(tokenUri(), form, null);
		form.put("client_secret", SECRET);
		this.app.secretExpired(true);
		HttpResponse<String> expired = postForm(tokenUri(), form, null);
		this.app.secretExpired(false);
		form.put("scope", "openid");
		HttpResponse<String> badScope = postForm(tokenUri(), form, null);

		assertThat(ok.statusCode()).isEqualTo(200);
		JsonNode body = json.readTree(ok.body());
		assertThat(body.get("token_type").asString()).isEqualTo("Bearer");
		assertThat(body.get("expires_in").asInt()).isEqualTo(3599);
		assertThat(body.has("id_token")).isFalse();
		assertError(wrong, 401, "invalid_client", 7000215);
		assertError(expired, 401, "invalid_client", 7000222);
		assertError(badScope, 400, "invalid_scope", 1002012);
	}

	@Test
	void clientAssertionSignedWithAnUploadedCertificateAuthenticatesByX5tS256OrX5t() throws Exception {
		Cert cert = Cert.generate();
		assertThat(this.app.uploadCertificate(cert.der())).isEqualTo(cert.thumbprint());
		assertThat(this.app.certificateThumbprints()).containsExactly(cert.thumbprint());

		HttpResponse<String> both = postForm(tokenUri(), assertionForm(cert.sign(cert.claims(tokenUri()), true, true)),
				null);
		HttpResponse<String> s256Only = postForm(tokenUri(),
				assertionForm(cert.sign(cert.claims(tokenUri()), true, false)), null);
		HttpResponse<String> sha1Only = postForm(tokenUri(),
				assertionForm(cert.sign(cert.claims(tokenUri()), false, true)), null);

		assertThat(both.statusCode()).as(both.body()).isEqualTo(200);
		assertThat(json.readTree(both.body()).get("access_token").asString()).isNotBlank();
		assertThat(s256Only.statusCode()).as(s256Only.body()).isEqualTo(200);
		assertThat(sha1Only.statusCode()).as(sha1Only.body()).isEqualTo(200);
	}

	@Test
	void clientAssertionWithACertificateNotUploadedIs700027NamingItsThumbprint() throws Exception {
		Cert uploaded = Cert.generate();
		Cert other = Cert.generate();
		this.app.uploadCertificate(uploaded.der());

		HttpResponse<String> unknown = postForm(tokenUri(),
				assertionForm(other.sign(other.claims(tokenUri()), true, true)), null);
		// the header names the uploaded certificate, the signature is another key's
		HttpResponse<String> forged = postForm(tokenUri(),
				assertionForm(other.signAs(uploaded, other.claims(tokenUri()))), null);

		assertError(unknown, 401, "invalid_client", 700027);
		assertThat(description(unknown)).contains("Thumbprint of key used by client: '" + other.thumbprint() + "'")
			.contains(CLIENT_ID);
		assertError(forged, 401, "invalid_client", 700027);
		assertThat(description(forged)).contains("failed signature validation");
		// deleted from the app registration: refused again
		this.app.uploadCertificate(other.der());
		assertThat(postForm(tokenUri(), assertionForm(other.sign(other.claims(tokenUri()), true, true)), null)
			.statusCode()).isEqualTo(200);
		assertThat(this.app.removeCertificate(other.thumbprint())).isTrue();
		assertError(postForm(tokenUri(), assertionForm(other.sign(other.claims(tokenUri()), true, true)), null), 401,
				"invalid_client", 700027);
	}

	@Test
	void clientAssertionClaimsAreCheckedAsEntraDoes() throws Exception {
		Cert cert = Cert.generate();
		this.app.uploadCertificate(cert.der());
		String otherDirectory = this.entra.authority() + "/" + java.util.UUID.randomUUID() + "/oauth2/v2.0/token";

		HttpResponse<String> audience = postForm(tokenUri(),
				assertionForm(cert.sign(cert.claims(otherDirectory), true, true)), null);
		HttpResponse<String> issuer = postForm(tokenUri(),
				assertionForm(cert.sign(
						new JWTClaimsSet.Builder(cert.claims(tokenUri())).issuer("someone-else").build(), true, true)),
				null);
		java.util.Date now = new java.util.Date();
		HttpResponse<String> tooLong = postForm(tokenUri(),
				assertionForm(cert.sign(new JWTClaimsSet.Builder(cert.claims(tokenUri()))
					.expirationTime(new java.util.Date(now.getTime() + Duration.ofMinutes(30).toMillis()))
					.build(), true, true)),
				null);
		JWTClaimsSet once = cert.claims(tokenUri());
		HttpResponse<String> first = postForm(tokenUri(), assertionForm(cert.sign(once, true, true)), null);
		HttpResponse<String> replayed = postForm(tokenUri(), assertionForm(cert.sign(once, true, true)), null);
		Map<String, String> badType = assertionForm(cert.sign(cert.claims(tokenUri()), true, true));
		badType.put("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:saml2-bearer");

		assertError(audience, 401, "invalid_client", 700023);
		assertError(issuer, 401, "invalid_client", 700021);
		assertError(tooLong, 401, "invalid_client", 700024);
		assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
		assertError(replayed, 401, "invalid_client", 7000274);
		assertError(postForm(tokenUri(), badType, null), 400, "invalid_request", 700020);
	}

	@Test
	void clientAssertionOutsideEntrasClockIs700024() throws Exception {
		Cert cert = Cert.generate();
		this.app.uploadCertificate(cert.der());
		String early = cert.sign(cert.claims(tokenUri()), true, true);

		// Entra's clock is 15 minutes ahead of the signer's: the assertion has expired
		// (beyond 5 minutes of skew)
		this.entra.advanceClock(Duration.ofMinutes(15));
		HttpResponse<String> expired = postForm(tokenUri(), assertionForm(early), null);
		// 15 minutes behind: the assertion is not valid yet
		this.entra.advanceClock(Duration.ofMinutes(-30));
		HttpResponse<String> notYet = postForm(tokenUri(),
				assertionForm(cert.sign(cert.claims(tokenUri()), true, true)), null);
		// within the skew: accepted
		this.entra.advanceClock(Duration.ofMinutes(12));
		HttpResponse<String> skewed = postForm(tokenUri(),
				assertionForm(cert.sign(cert.claims(tokenUri()), true, true)), null);

		assertError(expired, 401, "invalid_client", 700024);
		assertThat(description(expired)).contains("not within its valid time range");
		assertError(notYet, 401, "invalid_client", 700024);
		assertThat(skewed.statusCode()).as(skewed.body()).isEqualTo(200);
	}

	@Test
	void controlEndpointUploadsAndDeletesCertificatesAsTheAdministratorWould() throws Exception {
		Cert cert = Cert.generate();
		String control = this.entra.authority() + "/_control/" + TID + "/apps/" + CLIENT_ID + "/certificates";

		HttpResponse<String> uploaded = postForm(control, Map.of("certificate", cert.pem()), null);
		HttpResponse<String> accepted = postForm(tokenUri(),
				assertionForm(cert.sign(cert.claims(tokenUri()), true, true)), null);
		HttpResponse<String> deleted = send(
				HttpRequest.newBuilder(URI.create(control + "/" + cert.thumbprint())).DELETE().build());
		HttpResponse<String> garbage = postForm(control, Map.of("certificate", "not a certificate"), null);
		HttpResponse<String> unknownApp = postForm(
				this.entra.authority() + "/_control/" + TID + "/apps/" + java.util.UUID.randomUUID() + "/certificates",
				Map.of("certificate", cert.pem()), null);

		assertThat(uploaded.statusCode()).as(uploaded.body()).isEqualTo(201);
		assertThat(json.readTree(uploaded.body()).get("thumbprint").asString()).isEqualTo(cert.thumbprint());
		assertThat(accepted.statusCode()).isEqualTo(200);
		assertThat(deleted.statusCode()).isEqualTo(204);
		assertThat(this.app.certificateThumbprints()).isEmpty();
		assertThat(garbage.statusCode()).isEqualTo(400);
		assertThat(unknownApp.statusCode()).isEqualTo(404);
	}

	private static Map<String, String> assertionForm(String assertion) {
		Map<String, String> form = new LinkedHashMap<>();
		form.put("grant_type", "client_credentials");
		form.put("client_id", CLIENT_ID);
		form.put("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
		form.put("client_assertion", assertion);
		form.put("scope", "https://graph.microsoft.com/.default");
		return form;
	}

	/**
	 * A self-signed certificate and its key, signing assertions by hand (independently of
	 * the gateway's code).
	 */
	private record Cert(java.security.KeyPair keys, byte[] der) {

		static Cert generate() throws Exception {
			var generated = new com.iotorq.lean.gateway.credentials.CertificateGenerator(java.time.Clock.systemUTC())
				.generate("test", "Test", Duration.ofDays(30))
				.block();
			var privateKey = java.security.KeyFactory.getInstance("RSA")
				.generatePrivate(new java.security.spec.PKCS8EncodedKeySpec(generated.privateKeyPkcs8()));
			var certificate = com.nimbusds.jose.util.X509CertUtils.parse(generated.der());
			return new Cert(new java.security.KeyPair(certificate.getPublicKey(), privateKey), generated.der());
		}

		String thumbprint() throws Exception {
			return java.util.HexFormat.of()
				.withUpperCase()
				.formatHex(MessageDigest.getInstance("SHA-1").digest(this.der));
		}

		String pem() {
			return "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder().encodeToString(this.der)
					+ "\n-----END CERTIFICATE-----\n";
		}

		JWTClaimsSet claims(String audience) {
			java.util.Date now = new java.util.Date();
			return new JWTClaimsSet.Builder().issuer(CLIENT_ID)
				.subject(CLIENT_ID)
				.audience(audience)
				.jwtID(java.util.UUID.randomUUID().toString())
				.issueTime(now)
				.notBeforeTime(now)
				.expirationTime(new java.util.Date(now.getTime() + Duration.ofMinutes(5).toMillis()))
				.build();
		}

		String sign(JWTClaimsSet claims, boolean x5tS256, boolean x5t) throws Exception {
			return signWith(this, claims, x5tS256, x5t);
		}

		/** Signed with this key, the header naming {@code named}'s certificate. */
		String signAs(Cert named, JWTClaimsSet claims) throws Exception {
			var header = header(named, true, true);
			var jwt = new com.nimbusds.jwt.SignedJWT(header, claims);
			jwt.sign(new com.nimbusds.jose.crypto.RSASSASigner(this.keys.getPrivate()));
			return jwt.serialize();
		}

		@SuppressWarnings("deprecation")
		private static com.nimbusds.jose.JWSHeader header(Cert named, boolean x5tS256, boolean x5t) throws Exception {
			var builder = new com.nimbusds.jose.JWSHeader.Builder(JWSAlgorithm.PS256)
				.type(com.nimbusds.jose.JOSEObjectType.JWT);
			if (x5tS256) {
				builder.x509CertSHA256Thumbprint(com.nimbusds.jose.util.Base64URL
					.encode(MessageDigest.getInstance("SHA-256").digest(named.der())));
			}
			if (x5t) {
				builder.x509CertThumbprint(com.nimbusds.jose.util.Base64URL
					.encode(MessageDigest.getInstance("SHA-1").digest(named.der())));
			}
			return builder.build();
		}

		private static String signWith(Cert cert, JWTClaimsSet claims, boolean x5tS256, boolean x5t) throws Exception {
			var jwt = new com.nimbusds.jwt.SignedJWT(header(cert, x5tS256, x5t), claims);
			jwt.sign(new com.nimbusds.jose.crypto.RSASSASigner(cert.keys.getPrivate()));
			return jwt.serialize();
		}

	}

	@Test
	void userinfoAnswersOnlyToIssuedAccessTokens() throws Exception {
		this.entra.signInAs(this.ada);
		JsonNode tokens = json.readTree(redeem(query(location(authorize(Map.of()))).get("code"), VERIFIER).body());
		String userinfo = this.entra.authority() + "/oidc/userinfo";

		HttpResponse<String> anonymous = send(HttpRequest.newBuilder(URI.create(userinfo)).GET().build());
		HttpResponse<String> bogus = send(
				HttpRequest.newBuilder(URI.create(userinfo)).header("Authorization", "Bearer nope").GET().build());
		HttpResponse<String> known = send(HttpRequest.newBuilder(URI.create(userinfo))
			.header("Authorization", "Bearer " + tokens.get("access_token").asString())
			.GET()
			.build());

		assertThat(anonymous.statusCode()).isEqualTo(401);
		assertThat(bogus.statusCode()).isEqualTo(401);
		assertThat(known.statusCode()).isEqualTo(200);
		JsonNode claims = json.readTree(known.body());
		assertThat(claims.get("sub").asString()).isEqualTo(verify(tokens.get("id_token").asString()).getSubject());
		assertThat(claims.get("given_name").asString()).isEqualTo("Ada");
		assertThat(claims.get("family_name").asString()).isEqualTo("Lovelace");
		assertThat(claims.get("email").asString()).isEqualTo("ada@acme.example");
		assertThat(claims.has("preferred_username")).isFalse();
	}

	@Test
	void userWithoutMailboxHasNoEmailClaimAndItsOwnUpn() throws Exception {
		this.ada.email(null).upn("ada@acme.onmicrosoft.com");
		this.entra.signInAs(this.ada);

		JWTClaimsSet claims = verify(idToken());

		assertThat(claims.getClaims()).doesNotContainKey("email");
		assertThat(claims.getStringClaim("preferred_username")).isEqualTo("ada@acme.onmicrosoft.com");
	}

	@Test
	void logoutIsRecordedAndRedirectsBack() throws Exception {
		String logout = this.entra.authority() + "/" + TID + "/oauth2/v2.0/logout";

		HttpResponse<String> back = get(
				logout + "?id_token_hint=abc&post_logout_redirect_uri=" + enc("http://acme.lean.test:8080/"));
		HttpResponse<String> page = get(logout);

		assertThat(back.statusCode()).isEqualTo(302);
		assertThat(location(back)).isEqualTo("http://acme.lean.test:8080/");
		assertThat(page.statusCode()).isEqualTo(200);
		assertThat(page.body()).contains("You signed out");
		assertThat(this.entra.requestsTo("/oauth2/v2.0/logout").get(0).query("id_token_hint")).isEqualTo("abc");
	}

	@Test
	void delayHoldsEveryAnswerButRecordsOnArrival() throws Exception {
		this.entra.delay(Duration.ofMillis(800));
		long started = System.nanoTime();

		CompletableFuture<HttpResponse<String>> response = http.sendAsync(
				HttpRequest.newBuilder(URI.create(this.entra.authority() + "/" + TID + "/discovery/v2.0/keys")).build(),
				HttpResponse.BodyHandlers.ofString());

		await().atMost(Duration.ofMillis(600)).until(() -> this.entra.requests().size() == 1);
		assertThat(response).isNotDone();
		assertThat(response.get(5, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(800));
		this.entra.delay(Duration.ZERO);
		assertThat(get(this.entra.authority() + "/" + TID + "/discovery/v2.0/keys").statusCode()).isEqualTo(200);
	}

	// ---- helpers

	private HttpResponse<String> authorize(Map<String, String> overrides) throws IOException, InterruptedException {
		StringJoiner query = new StringJoiner("&");
		authorizeParams(overrides).forEach((name, value) -> query.add(enc(name) + "=" + enc(value)));
		return get(this.entra.authority() + "/" + TID + "/oauth2/v2.0/authorize?" + query);
	}

	private static Map<String, String> authorizeParams(Map<String, String> overrides) {
		Map<String, String> params = new LinkedHashMap<>();
		params.put("client_id", CLIENT_ID);
		params.put("response_type", "code");
		params.put("redirect_uri", REDIRECT);
		params.put("scope", "openid profile email");
		params.put("state", "st-1");
		params.put("nonce", "n-1");
		params.put("code_challenge", sha256(VERIFIER));
		params.put("code_challenge_method", "S256");
		params.putAll(overrides);
		return params;
	}

	private String idToken() throws IOException, InterruptedException {
		String code = query(location(authorize(Map.of()))).get("code");
		return json.readTree(redeem(code, VERIFIER).body()).get("id_token").asString();
	}

	private HttpResponse<String> redeem(String code, String verifier) throws IOException, InterruptedException {
		return postForm(tokenUri(), codeForm(code, verifier, SECRET), null);
	}

	private static Map<String, String> codeForm(String code, String verifier, String secret) {
		Map<String, String> form = new LinkedHashMap<>();
		form.put("grant_type", "authorization_code");
		form.put("code", code);
		form.put("redirect_uri", REDIRECT);
		if (verifier != null) {
			form.put("code_verifier", verifier);
		}
		form.put("client_id", CLIENT_ID);
		form.put("client_secret", secret);
		return form;
	}

	private String tokenUri() {
		return this.entra.authority() + "/" + TID + "/oauth2/v2.0/token";
	}

	private JWTClaimsSet verify(String idToken) throws Exception {
		JWKSet keys = JWKSet.parse(get(this.entra.authority() + "/" + TID + "/discovery/v2.0/keys").body());
		DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
		processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.RS256, new ImmutableJWKSet<>(keys)));
		JWTClaimsSet exact = new JWTClaimsSet.Builder().issuer(this.directory.issuer()).build();
		processor.setJWTClaimsSetVerifier(
				new DefaultJWTClaimsVerifier<>(CLIENT_ID, exact, Set.of("sub", "iat", "exp", "tid")));
		return processor.process(idToken, null);
	}

	private List<String> jwksKids() throws Exception {
		return JWKSet.parse(get(this.entra.authority() + "/" + TID + "/discovery/v2.0/keys").body())
			.getKeys()
			.stream()
			.map(key -> key.getKeyID())
			.toList();
	}

	private static String kid(String jwt) throws Exception {
		return (String) JWTParser.parse(jwt).getHeader().toJSONObject().get("kid");
	}

	private static void assertError(HttpResponse<String> response, int status, String error, int code) {
		assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json; charset=utf-8");
		JsonNode body = json.readTree(response.body());
		assertThat(body.get("error").asString()).isEqualTo(error);
		assertThat(body.get("error_codes").get(0).asInt()).isEqualTo(code);
		assertThat(body.get("error_description").asString()).startsWith("AADSTS" + code + ": ");
		assertThat(body.has("trace_id") && body.has("correlation_id") && body.has("timestamp")).isTrue();
	}

	private static String description(HttpResponse<String> response) {
		return json.readTree(response.body()).get("error_description").asString();
	}

	private static HttpResponse<String> get(String uri) throws IOException, InterruptedException {
		return send(HttpRequest.newBuilder(URI.create(uri)).GET().build());
	}

	private static HttpResponse<String> postForm(String uri, Map<String, String> form, String authorization)
			throws IOException, InterruptedException {
		StringJoiner body = new StringJoiner("&");
		form.forEach((name, value) -> body.add(enc(name) + "=" + enc(value)));
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(uri))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(body.toString()));
		if (authorization != null) {
			request.header("Authorization", authorization);
		}
		return send(request.build());
	}

	private static HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
		return http.send(request, HttpResponse.BodyHandlers.ofString());
	}

	private static String location(HttpResponse<String> response) {
		assertThat(response.statusCode()).as(response.body()).isEqualTo(302);
		return response.headers().firstValue("Location").orElseThrow();
	}

	private static Map<String, String> query(String uri) {
		Map<String, String> params = new LinkedHashMap<>();
		String query = URI.create(uri).getRawQuery();
		for (String pair : query.split("&")) {
			int eq = pair.indexOf('=');
			params.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
					URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
		}
		return params;
	}

	private static List<String> strings(JsonNode array) {
		return array.valueStream().map(JsonNode::asString).toList();
	}

	private static String enc(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

	private static String sha256(String value) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.US_ASCII));
			return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

}
