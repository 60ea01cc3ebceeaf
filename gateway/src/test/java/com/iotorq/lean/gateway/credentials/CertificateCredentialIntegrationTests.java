package com.iotorq.lean.gateway.credentials;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import com.jayway.jsonpath.JsonPath;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.util.X509CertUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.publisher.Flux;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.web.reactive.function.client.WebClient;

import com.iotorq.lean.gateway.secrets.SealedSecret;
import com.iotorq.lean.gateway.secrets.SecretCipher;
import com.iotorq.lean.gateway.test.GatewayTestProperties;
import com.iotorq.lean.gateway.test.SignInTestSupport;
import com.iotorq.lean.gateway.test.TestBrowser;
import com.iotorq.lean.gateway.test.entra.TestEntra;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Certificate credentials end to end: LEAN support generates a certificate, the
 * organisation's Entra administrator uploads it to the app registration (in the Entra
 * imitation, which checks client assertions as Entra does), a verification makes it
 * ACTIVE, and sign-ins then send a client assertion signed with it instead of a secret.
 */
@ExtendWith(OutputCaptureExtension.class)
class CertificateCredentialIntegrationTests extends SignInTestSupport {

	private static final String TOKEN_PATH = "/oauth2/v2.0/token";

	@Autowired
	private DatabaseClient db;

	@Autowired
	private SecretCipher cipher;

	@Autowired
	private CertificateExpiryMonitor certificateMonitor;

	@Test
	void createWhenPostedThenPendingCertificateNamingTheOrganisationAndItsCerFile() throws Exception {
		Org acme = organisation();
		var created = this.admin.post()
			.uri("/admin/tenants/{slug}/sso/certificates", acme.slug())
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of())
			.exchange()
			.expectStatus()
			.isCreated()
			.expectBody(String.class)
			.returnResult();
		String json = created.getResponseBody();
		String id = JsonPath.read(json, "$.id");
		assertThat(created.getResponseHeaders().getLocation())
			.hasToString("/admin/tenants/" + acme.slug() + "/sso/certificates/" + id);
		assertThat(JsonPath.<String>read(json, "$.status")).isEqualTo("PENDING");
		Instant notBefore = Instant.parse(JsonPath.read(json, "$.notBefore"));
		Instant notAfter = Instant.parse(JsonPath.read(json, "$.notAfter"));
		assertThat(Duration.between(notBefore, notAfter)).isEqualTo(Duration.ofDays(730));

		byte[] der = cer(acme, id);
		X509Certificate certificate = X509CertUtils.parse(der);
		assertThat(certificate.getSubjectX500Principal().getName()).contains("CN=ioTORQ LEAN SSO - " + acme.slug())
			.contains("O=Organisation " + acme.slug());
		assertThat(certificate.getIssuerX500Principal()).isEqualTo(certificate.getSubjectX500Principal());
		assertThat(((RSAPublicKey) certificate.getPublicKey()).getModulus().bitLength()).isGreaterThanOrEqualTo(2048);
		assertThat(certificate.getNotAfter().toInstant()).isEqualTo(notAfter);
		assertThat(JsonPath.<String>read(json, "$.thumbprintSha1")).isEqualTo(hex("SHA-1", der))
			.matches("[0-9A-F]{40}");
		assertThat(JsonPath.<String>read(json, "$.thumbprintSha256")).isEqualTo(hex("SHA-256", der));
		assertThat(X509CertUtils.parse(JsonPath.<String>read(json, "$.certificatePem"))).isEqualTo(certificate);
		assertThat(json).doesNotContainIgnoringCase("private");

		String listed = okBody(this.admin.get().uri("/admin/tenants/{slug}/sso/certificates", acme.slug()));
		assertThat(JsonPath.<List<String>>read(listed, "$.items[*].id")).containsExactly(id);
		String shorter = createCertificate(acme, Map.of("validDays", 30));
		assertThat(Duration.between(Instant.parse(JsonPath.read(shorter, "$.notBefore")),
				Instant.parse(JsonPath.read(shorter, "$.notAfter"))))
			.isEqualTo(Duration.ofDays(30));
		// newest first
		assertThat(JsonPath.<List<String>>read(
				okBody(this.admin.get().uri("/admin/tenants/{slug}/sso/certificates", acme.slug())), "$.items[*].id"))
			.containsExactly(JsonPath.read(shorter, "$.id"), id);
	}

	@Test
	void createWhenInputWrongThenProblemAndNothingStored() {
		Org acme = organisation();
		for (Object validDays : List.of(0, 1096, "730", 1.5)) {
			this.admin.post()
				.uri("/admin/tenants/{slug}/sso/certificates", acme.slug())
				.contentType(MediaType.APPLICATION_JSON)
				.bodyValue(Map.of("validDays", validDays))
				.exchange()
				.expectStatus()
				.isEqualTo(422)
				.expectHeader()
				.contentType(MediaType.APPLICATION_PROBLEM_JSON)
				.expectBody()
				.jsonPath("$.errors[0].field")
				.isEqualTo("validDays");
		}
		this.admin.post()
			.uri("/admin/tenants/{slug}/sso/certificates", acme.slug())
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("privateKey", "x"))
			.exchange()
			.expectStatus()
			.isEqualTo(422);
		this.admin.post()
			.uri("/admin/tenants/{slug}/sso/certificates", "no-such-org")
			.exchange()
			.expectStatus()
			.isNotFound();
		this.admin.get()
			.uri("/admin/tenants/{slug}/sso/certificates/{id}/certificate.cer", acme.slug(),
					java.util.UUID.randomUUID())
			.exchange()
			.expectStatus()
			.isNotFound();
		this.admin.delete()
			.uri("/admin/tenants/{slug}/sso/certificates/{id}", acme.slug(), "not-a-uuid")
			.exchange()
			.expectStatus()
			.isNotFound();
		assertThat(JsonPath.<List<Object>>read(
				okBody(this.admin.get().uri("/admin/tenants/{slug}/sso/certificates", acme.slug())), "$.items"))
			.isEmpty();
	}

	@Test
	void signInWhenCertificateActiveThenTokenRequestCarriesAnAssertionAndNoSecret() throws Exception {
		Org acme = organisation();
		TestEntra.User ada = person(acme, "Ada Lovelace");
		String id = uploadedCertificate(acme);

		String saved = useCertificate(acme);
		assertThat(JsonPath.<String>read(saved, "$.sso.credentialType")).isEqualTo("certificate");
		assertThat(JsonPath.<Boolean>read(saved, "$.sso.lastVerification.ok")).isTrue();
		assertThat(JsonPath.<String>read(saved, "$.sso.lastVerification.checks[1].credential"))
			.isEqualTo("certificate");
		assertThat(JsonPath.<String>read(saved, "$.sso.lastVerification.checks[1].certificateId")).isEqualTo(id);
		assertThat(status(acme, id)).isEqualTo("ACTIVE");
		entra.clearRequests();

		TestBrowser.Response done = signIn(acme, ada, "/reports");
		assertThat(done.status()).as(done.body()).isEqualTo(302);
		assertThat(done.location()).isEqualTo("/reports");

		TestEntra.Recorded token = entra.requestsTo(TOKEN_PATH).get(0);
		assertThat(token.form("grant_type")).isEqualTo("authorization_code");
		assertThat(token.form("client_secret")).isNull();
		assertThat(token.form("client_assertion_type"))
			.isEqualTo("urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
		SignedJWT assertion = SignedJWT.parse(token.form("client_assertion"));
		byte[] der = cer(acme, id);
		assertThat(assertion.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.PS256);
		assertThat(assertion.getHeader().getType()).isEqualTo(JOSEObjectType.JWT);
		assertThat(assertion.getHeader().getX509CertSHA256Thumbprint())
			.isEqualTo(Base64URL.encode(MessageDigest.getInstance("SHA-256").digest(der)));
		assertThat(x5t(assertion)).isEqualTo(Base64URL.encode(MessageDigest.getInstance("SHA-1").digest(der)));
		JWTClaimsSet claims = assertion.getJWTClaimsSet();
		assertThat(claims.getAudience()).containsExactly(entra.authority() + "/" + acme.directory().tid() + TOKEN_PATH);
		assertThat(claims.getIssuer()).isEqualTo(acme.app().clientId());
		assertThat(claims.getSubject()).isEqualTo(acme.app().clientId());
		assertThat(claims.getJWTID()).isNotBlank();
		assertThat(claims.getNotBeforeTime()).isNotNull();
		assertThat(claims.getIssueTime()).isNotNull();
		assertThat(claims.getExpirationTime().getTime() - claims.getNotBeforeTime().getTime()).isPositive()
			.isLessThanOrEqualTo(Duration.ofMinutes(10).toMillis());

		// a second sign-in signs a new assertion (jti is single-use at Entra)
		this.browser.clearCookies();
		assertThat(signIn(acme, ada, "/").status()).isEqualTo(302);
		assertThat(SignedJWT.parse(entra.requestsTo(TOKEN_PATH).get(1).form("client_assertion"))
			.getJWTClaimsSet()
			.getJWTID()).isNotEqualTo(claims.getJWTID());
	}

	@Test
	void signInWhenOnlyAPendingCertificateThenClearPageAndNothingSigned() {
		Org acme = organisation();
		TestEntra.User ada = person(acme, "Ada Lovelace");
		String id = JsonPath.read(createCertificate(acme, Map.of()), "$.id");

		// support switches before the customer uploaded the certificate: the verification
		// says so, nothing activates
		String saved = useCertificate(acme);
		assertThat(JsonPath.<Boolean>read(saved, "$.sso.lastVerification.ok")).isFalse();
		assertThat(JsonPath.<String>read(saved, "$.sso.lastVerification.checks[1].errorCode"))
			.isEqualTo("AADSTS700027");
		assertThat(status(acme, id)).isEqualTo("PENDING");
		entra.clearRequests();

		TestBrowser.Response page = this.browser.get(acme.url("/oauth/login?next=/"));
		assertThat(page.status()).isEqualTo(503);
		assertThat(page.header("Content-Type")).startsWith("text/html");
		assertThat(page.body()).contains("Single sign-on is not ready yet", "LEAN support", "Certificates")
			.doesNotContain("Exception");
		// no assertion was ever signed with the PENDING certificate for a sign-in
		assertThat(entra.requestsTo(TOKEN_PATH)).isEmpty();
		assertThat(entra.requestsTo("/oauth2/v2.0/authorize")).isEmpty();
	}

	@Test
	void rotationWhenTheNextCertificateIsUploadedAndVerifiedThenNoSignInFails() throws Exception {
		Org acme = organisation();
		TestEntra.User ada = person(acme, "Ada Lovelace");
		String first = uploadedCertificate(acme);
		useCertificate(acme);
		assertThat(status(acme, first)).isEqualTo("ACTIVE");

		// renewal: the next certificate is generated; while PENDING it never signs
		String second = JsonPath.read(createCertificate(acme, Map.of()), "$.id");
		entra.clearRequests();
		assertThat(signIn(acme, ada, "/").status()).isEqualTo(302);
		assertThat(signedWith(0)).isEqualTo(sha256(cer(acme, first)));

		// the customer uploads it next to the old one; a sign-in is under way while
		// support verifies
		acme.app().uploadCertificate(cer(acme, second));
		this.browser.clearCookies();
		entra.clearRequests();
		TestBrowser.Response login = this.browser.get(acme.url("/oauth/login?next=/after"));
		TestBrowser.Response authorize = this.browser.follow(login);
		String verified = verify(acme);
		assertThat(JsonPath.<Boolean>read(verified, "$.ok")).isTrue();
		assertThat(JsonPath.<String>read(verified, "$.checks[1].certificateId")).isEqualTo(second);
		assertThat(JsonPath.<String>read(verified, "$.checks[1].summary")).contains("now signs sign-ins");
		assertThat(status(acme, second)).isEqualTo("ACTIVE");
		assertThat(status(acme, first)).isEqualTo("RETIRED");
		TestBrowser.Response callback = this.browser.follow(authorize);
		assertThat(callback.status()).as(callback.body()).isEqualTo(302);
		assertThat(callback.location()).isEqualTo("/after");
		assertThat(signedWith(entra.requestsTo(TOKEN_PATH).size() - 1)).isEqualTo(sha256(cer(acme, second)));

		// the customer deletes the old certificate: sign-ins go on
		acme.app().removeCertificate(hex("SHA-1", cer(acme, first)));
		this.browser.clearCookies();
		assertThat(signIn(acme, ada, "/").status()).isEqualTo(302);
		// the signing certificate cannot be retired while it signs; after switching back
		// to the secret it can
		this.admin.delete()
			.uri("/admin/tenants/{slug}/sso/certificates/{id}", acme.slug(), second)
			.exchange()
			.expectStatus()
			.isEqualTo(409)
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON);
		putSso(acme.slug(),
				Map.of("provider", "entra", "entraTenantId", acme.directory().tid(), "clientId", acme.app().clientId(),
						"credentialType", "client_secret", "mode", "REQUIRED", "provisioning", "EXISTING_ONLY"))
			.expectStatus()
			.isOk()
			.expectHeader()
			.valueEquals("X-Lean-Verification", "ok");
		this.admin.delete()
			.uri("/admin/tenants/{slug}/sso/certificates/{id}", acme.slug(), second)
			.exchange()
			.expectStatus()
			.isNoContent();
		assertThat(status(acme, second)).isEqualTo("RETIRED");
		this.browser.clearCookies();
		entra.clearRequests();
		assertThat(signIn(acme, ada, "/").status()).isEqualTo(302);
		assertThat(entra.requestsTo(TOKEN_PATH).get(0).form("client_secret")).isEqualTo(acme.clientSecret());
		// retired certificates keep no private key
		assertThat(this.db
			.sql("SELECT count(*) AS n FROM sso_certificate WHERE id IN ($1, $2) AND private_key_ciphertext IS NULL")
			.bind(0, java.util.UUID.fromString(first))
			.bind(1, java.util.UUID.fromString(second))
			.map(row -> row.get("n", Long.class))
			.one()
			.block()).isEqualTo(2);
	}

	@Test
	void verifyWhenTwoVerificationsRunAtOnceThenTheCertificateIsActivatedOnce() {
		Org acme = organisation();
		String first = uploadedCertificate(acme);
		useCertificate(acme);
		String second = uploadedCertificate(acme);
		// as two replicas would: the organisation's row lock serialises the activations
		WebClient client = WebClient.builder()
			.baseUrl("http://127.0.0.1:" + this.managementPort)
			.defaultHeader("Authorization", "Bearer " + GatewayTestProperties.ADMIN_TOKEN)
			.build();
		List<String> answers = Flux.range(0, 3)
			.flatMap(i -> client.post()
				.uri("/admin/tenants/{slug}/sso/verify", acme.slug())
				.retrieve()
				.bodyToMono(String.class))
			.collectList()
			.block(Duration.ofSeconds(60));
		assertThat(answers).hasSize(3)
			.allSatisfy(answer -> assertThat(JsonPath.<Boolean>read(answer, "$.ok")).isTrue());
		assertThat(status(acme, second)).isEqualTo("ACTIVE");
		assertThat(status(acme, first)).isEqualTo("RETIRED");
		assertThat(this.db
			.sql("SELECT count(*) AS n FROM audit_event WHERE action = 'sso.certificate.activated' AND subject = $1")
			.bind(0, second)
			.map(row -> row.get("n", Long.class))
			.one()
			.block()).isEqualTo(1);
	}

	@Test
	void signInWhenTheCertificateWasDeletedFromTheAppRegistrationThenPageAuditAndVerifySayUploadIt() throws Exception {
		Org acme = organisation();
		TestEntra.User ada = person(acme, "Ada Lovelace");
		String id = uploadedCertificate(acme);
		useCertificate(acme);
		String thumbprint = hex("SHA-1", cer(acme, id));
		acme.app().removeCertificate(thumbprint);

		TestBrowser.Response page = signIn(acme, ada, "/");
		assertThat(page.status()).isEqualTo(403);
		assertThat(page.body()).contains("AADSTS700027", "certificate is not accepted",
				"Your organisation&#39;s identity administrator", "Certificates &amp; secrets &gt; Certificates");
		Map<String, Object> audited = JsonPath
			.read(okBody(this.admin.get().uri("/admin/tenants/{slug}/signins?limit=1", acme.slug())), "$.items[0]");
		assertThat(audited).containsEntry("reason", "idp_error").containsEntry("errorCode", "AADSTS700027");

		String verified = verify(acme);
		assertThat(JsonPath.<Boolean>read(verified, "$.ok")).isFalse();
		assertThat(JsonPath.<String>read(verified, "$.checks[1].errorCode")).isEqualTo("AADSTS700027");
		assertThat(JsonPath.<String>read(verified, "$.checks[1].summary")).isEqualTo("Certificate not accepted");
		assertThat(JsonPath.<String>read(verified, "$.checks[1].thumbprintSha1")).isEqualTo(thumbprint);
		assertThat(JsonPath.<String>read(verified, "$.checks[1].thumbprintSha256"))
			.isEqualTo(hex("SHA-256", cer(acme, id)));
		assertThat(JsonPath.<String>read(verified, "$.checks[1].instruction")).contains(
				"Certificates & secrets > Certificates", thumbprint,
				"/admin/tenants/" + acme.slug() + "/sso/certificates/" + id + "/certificate.cer");
	}

	@Test
	void signInWhenClocksDisagreeThenTheExpiredAssertionIsExplained() {
		Org acme = organisation();
		TestEntra.User ada = person(acme, "Ada Lovelace");
		uploadedCertificate(acme);
		useCertificate(acme);
		entra.advanceClock(Duration.ofMinutes(15));
		try {
			TestBrowser.Response page = signIn(acme, ada, "/");
			assertThat(page.body()).contains("AADSTS700024", "LEAN support", "clock");
			String verified = verify(acme);
			assertThat(JsonPath.<String>read(verified, "$.checks[1].errorCode")).isEqualTo("AADSTS700024");
			assertThat(JsonPath.<String>read(verified, "$.checks[1].instruction")).contains("NTP");
		}
		finally {
			entra.advanceClock(Duration.ofMinutes(-15));
		}
	}

	@Test
	void verifyWhenNoCertificateThenSaysHowToGenerateOne() {
		Org acme = organisation();
		String saved = useCertificate(acme);
		assertThat(JsonPath.<String>read(saved, "$.sso.lastVerification.checks[1].status")).isEqualTo("failed");
		assertThat(JsonPath.<String>read(saved, "$.sso.lastVerification.checks[1].credential"))
			.isEqualTo("certificate");
		assertThat(JsonPath.<String>read(saved, "$.sso.lastVerification.checks[1].summary"))
			.isEqualTo("There is no certificate to check");
		assertThat(JsonPath.<String>read(saved, "$.sso.lastVerification.checks[1].instruction"))
			.contains("POST /admin/tenants/" + acme.slug() + "/sso/certificates");
		// the secret is still stored, so a switch back needs none
		assertThat(JsonPath.<Boolean>read(saved, "$.sso.clientSecretSet")).isTrue();
		// a secret verification names its credential too
		String secret = okBody(this.admin.put()
			.uri("/admin/tenants/{slug}/sso", acme.slug())
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("provider", "entra", "entraTenantId", acme.directory().tid(), "clientId",
					acme.app().clientId(), "credentialType", "client_secret", "mode", "REQUIRED", "provisioning",
					"EXISTING_ONLY")));
		assertThat(JsonPath.<String>read(secret, "$.sso.lastVerification.checks[1].credential"))
			.isEqualTo("client_secret");
		putSso(acme.slug(),
				Map.of("provider", "entra", "entraTenantId", acme.directory().tid(), "clientId", acme.app().clientId(),
						"credentialType", "password", "mode", "REQUIRED", "provisioning", "EXISTING_ONLY"))
			.expectStatus()
			.isEqualTo(422)
			.expectBody()
			.jsonPath("$.errors[0].field")
			.isEqualTo("credentialType");
	}

	@Test
	void createWhenNoSsoYetThenSsoCanStartWithACertificateAndNoSecret() {
		String slug = "cert-" + java.util.UUID.randomUUID().toString().substring(0, 8);
		String tid = java.util.UUID.randomUUID().toString();
		String clientId = java.util.UUID.randomUUID().toString();
		TestEntra.App app = entra.directory(tid)
			.registerApp(clientId, "unused-secret-" + java.util.UUID.randomUUID(),
					"http://" + slug + ".lean.test:" + this.port + "/oauth/complete/");
		this.admin.put()
			.uri("/admin/tenants/{slug}", slug)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("displayName", "Cert Only"))
			.exchange()
			.expectStatus()
			.isCreated();
		String id = JsonPath.read(createCertificate(slug, Map.of()), "$.id");
		app.uploadCertificate(cer(slug, id));
		String saved = okBody(this.admin.put()
			.uri("/admin/tenants/{slug}/sso", slug)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("provider", "entra", "entraTenantId", tid, "clientId", clientId, "credentialType",
					"certificate", "mode", "REQUIRED", "provisioning", "EXISTING_ONLY")));
		assertThat(JsonPath.<Boolean>read(saved, "$.sso.clientSecretSet")).isFalse();
		assertThat(JsonPath.<Boolean>read(saved, "$.sso.lastVerification.ok")).isTrue();
		// without a secret there is nothing to switch back to
		putSso(slug,
				Map.of("provider", "entra", "entraTenantId", tid, "clientId", clientId, "credentialType",
						"client_secret", "mode", "REQUIRED", "provisioning", "EXISTING_ONLY"))
			.expectStatus()
			.isEqualTo(422)
			.expectBody()
			.jsonPath("$.errors[0].field")
			.isEqualTo("clientSecret");
	}

	@Test
	void expiringWhenCertificatesExpireWithinTheWindowThenListedGaugedAndWarnedAboutOnce(CapturedOutput output) {
		Org acme = organisation();
		String id = uploadedCertificate(acme, 20);
		useCertificate(acme);
		String listing = okBody(this.admin.get().uri("/admin/sso/expiring?withinDays=30"));
		List<Map<String, Object>> rows = JsonPath.read(listing, "$.items[?(@.slug == '" + acme.slug() + "')]");
		// its client secret (730 days, and not in use) is not listed; the certificate is
		assertThat(rows).hasSize(1);
		assertThat(rows.get(0)).containsEntry("credential", "certificate")
			.containsEntry("id", id)
			.containsEntry("status", "ACTIVE")
			.containsKey("notAfter");
		assertThat(((Number) rows.get(0).get("daysLeft")).intValue()).isBetween(19, 20);
		assertThat(JsonPath.<List<Object>>read(okBody(this.admin.get().uri("/admin/sso/expiring?withinDays=10")),
				"$.items[?(@.slug == '" + acme.slug() + "')]"))
			.isEmpty();

		this.certificateMonitor.check().block();
		String line = prometheus().lines()
			.filter(l -> l.startsWith("lean_sso_client_certificate_expiry_days{")
					&& l.contains("certificate=\"" + id + "\""))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no gauge for certificate " + id));
		assertThat(line).contains("tenant=\"" + acme.slug() + "\"", "status=\"ACTIVE\"");
		// 20 days left: the 30-day warning, logged once however often the check runs
		this.certificateMonitor.check().block();
		String thumbprint = (String) rows.get(0).get("thumbprintSha1");
		assertThat(output.getAll()
			.lines()
			.filter(l -> l.contains("The SSO certificate " + thumbprint + " of tenant " + acme.slug() + " expires in")))
			.hasSize(1)
			.allSatisfy(l -> assertThat(l).contains("POST /admin/tenants/" + acme.slug() + "/sso/certificates"));
	}

	@Test
	void privateKeyWhenUsedEverywhereThenNeverInAResponseALogLineOrAMetric(CapturedOutput output) {
		Org acme = organisation();
		TestEntra.User ada = person(acme, "Ada Lovelace");
		List<String> seen = new ArrayList<>();
		String created = createCertificate(acme, Map.of());
		seen.add(created);
		String id = JsonPath.read(created, "$.id");
		acme.app().uploadCertificate(cer(acme, id));
		seen.add(useCertificate(acme));
		seen.add(verify(acme));
		seen.add(signIn(acme, ada, "/").body());
		seen.add(okBody(this.admin.get().uri("/admin/tenants/{slug}/sso/certificates", acme.slug())));
		seen.add(okBody(this.admin.get().uri("/admin/tenants/{slug}/sso/certificates/{id}", acme.slug(), id)));
		seen.add(okBody(this.admin.get().uri("/admin/tenants/{slug}", acme.slug())));
		seen.add(okBody(this.admin.get().uri("/admin/sso/expiring?withinDays=3650")));
		this.certificateMonitor.check().block();
		seen.add(prometheus());
		seen.add(String.join("\n",
				this.db.sql("SELECT before::text AS b, after::text AS a FROM audit_event WHERE tenant_slug = $1")
					.bind(0, acme.slug())
					.map(row -> row.get("b", String.class) + " " + row.get("a", String.class))
					.all()
					.collectList()
					.block()));

		String key = privateKey(acme, id);
		String keyBase64Url = Base64URL.encode(java.util.Base64.getDecoder().decode(key)).toString();
		String everything = String.join("\n", seen) + "\n" + output.getAll();
		assertThat(everything).doesNotContain(key.substring(40, 120))
			.doesNotContain(keyBase64Url.substring(40, 120))
			.doesNotContain("PRIVATE KEY");
		// the JWK's private exponent is not there either
		assertThat(everything).doesNotContain("\"d\":");
	}

	private String uploadedCertificate(Org org) {
		return uploadedCertificate(org, 730);
	}

	/**
	 * Generates a certificate and uploads its .cer file to the app registration, as the
	 * customer would.
	 */
	private String uploadedCertificate(Org org, int validDays) {
		String id = JsonPath.read(createCertificate(org, Map.of("validDays", validDays)), "$.id");
		org.app().uploadCertificate(cer(org, id));
		return id;
	}

	private String createCertificate(Org org, Map<String, Object> body) {
		return createCertificate(org.slug(), body);
	}

	private String createCertificate(String slug, Map<String, Object> body) {
		return this.admin.post()
			.uri("/admin/tenants/{slug}/sso/certificates", slug)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(body)
			.exchange()
			.expectStatus()
			.isCreated()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
	}

	private byte[] cer(Org org, String id) {
		return cer(org.slug(), id);
	}

	private byte[] cer(String slug, String id) {
		return this.admin.get()
			.uri("/admin/tenants/{slug}/sso/certificates/{id}/certificate.cer", slug, id)
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.contentType("application/pkix-cert")
			.expectHeader()
			.value("Content-Disposition",
					disposition -> assertThat(disposition).startsWith("attachment").contains(".cer"))
			.expectBody(byte[].class)
			.returnResult()
			.getResponseBody();
	}

	/**
	 * Switches the organisation to its certificate (no secret sent) and returns the
	 * answer, verification included.
	 */
	private String useCertificate(Org org) {
		return okBody(this.admin.put()
			.uri("/admin/tenants/{slug}/sso", org.slug())
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("provider", "entra", "entraTenantId", org.directory().tid(), "clientId",
					org.app().clientId(), "credentialType", "certificate", "mode", "REQUIRED", "provisioning",
					"EXISTING_ONLY")));
	}

	private String verify(Org org) {
		return okBody(this.admin.post().uri("/admin/tenants/{slug}/sso/verify", org.slug()));
	}

	private String status(Org org, String id) {
		return JsonPath.read(
				okBody(this.admin.get().uri("/admin/tenants/{slug}/sso/certificates/{id}", org.slug(), id)),
				"$.status");
	}

	/** The x5t#S256 of the client assertion of the index-th token request. */
	private static Base64URL signedWith(int index) throws Exception {
		return SignedJWT.parse(entra.requestsTo(TOKEN_PATH).get(index).form("client_assertion"))
			.getHeader()
			.getX509CertSHA256Thumbprint();
	}

	/**
	 * The certificate's private key (base64 PKCS#8), opened from the database the way the
	 * gateway does.
	 */
	private String privateKey(Org org, String id) {
		Map<String, Object> row = this.db
			.sql("SELECT tenant_id, private_key_ciphertext, private_key_key_id FROM sso_certificate WHERE id = $1")
			.bind(0, java.util.UUID.fromString(id))
			.fetch()
			.one()
			.block();
		ByteBuffer buffer = (ByteBuffer) row.get("private_key_ciphertext");
		byte[] sealed = new byte[buffer.remaining()];
		buffer.get(sealed);
		return this.cipher.open(new SealedSecret((String) row.get("private_key_key_id"), sealed),
				row.get("tenant_id").toString());
	}

	@SuppressWarnings("deprecation")
	private static Base64URL x5t(SignedJWT jwt) {
		return jwt.getHeader().getX509CertThumbprint();
	}

	private static Base64URL sha256(byte[] der) throws Exception {
		return Base64URL.encode(MessageDigest.getInstance("SHA-256").digest(der));
	}

	private static String hex(String algorithm, byte[] der) {
		try {
			return HexFormat.of().withUpperCase().formatHex(MessageDigest.getInstance(algorithm).digest(der));
		}
		catch (java.security.NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
