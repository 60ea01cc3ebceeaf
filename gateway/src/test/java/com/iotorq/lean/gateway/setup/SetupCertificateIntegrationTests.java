package com.iotorq.lean.gateway.setup;

import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.jayway.jsonpath.JsonPath;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.SignedJWT;
import io.netty.handler.codec.http.HttpHeaderNames;
import org.junit.jupiter.api.Test;
import reactor.netty.http.client.HttpClient;

import com.iotorq.lean.gateway.test.GatewayTestProperties;
import com.iotorq.lean.gateway.test.TestBrowser;
import com.iotorq.lean.gateway.test.TestSchema;
import com.iotorq.lean.gateway.test.entra.TestEntra;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The certificate option of the setup page's step 2 over real HTTP, against the Entra
 * imitation that checks client assertions against the certificates uploaded to the app:
 * the certificate is generated PENDING through the same code as the admin API, downloaded
 * through the setup session only, verified and tested while PENDING (Microsoft refusing
 * it until it is uploaded), and made ACTIVE only by Activate, together with
 * {@code credentialType} {@code certificate}; live sign-ins meanwhile go on with what is
 * live.
 */
class SetupCertificateIntegrationTests extends SetupFlowSupport {

	private static final String TOKEN_PATH = "/oauth2/v2.0/token";

	private static final Pattern SHA1 = Pattern.compile("id=\"certificate-sha1\">([0-9A-F]{40})<");

	@Test
	void certificateDraftIsVerifiedTestedAndActivatedThenEveryoneSignsInWithIt() throws Exception {
		String slug = organisationWithoutSso();
		TestEntra.Directory directory = entra.directory(UUID.randomUUID().toString());
		TestEntra.Registration registration = directory.newRegistration("ioTORQ LEAN", url(slug, "/oauth/complete/"));
		TestEntra.User admin = directory.addUser(UUID.randomUUID().toString(), "admin@" + slug + ".example", "Ad Min");
		TestBrowser browser = new TestBrowser();
		TestBrowser.Response page = open(browser, (String) createLink(slug, Map.of()).get("url"));
		assertThat(page.body()).contains("Use a client secret",
				"Use a certificate (recommended: no secret to copy or renew every two years)",
				">Generate a certificate</button>", "name=\"clientSecret\"", "name=\"clientSecretExpiresAt\"",
				">Verify</button>");

		// "Generate a certificate": PENDING, for this organisation, audited via the setup
		// link; the typed IDs are kept
		TestBrowser.Response generated = post(browser, slug, page, "certificate", Map.of("entraTenantId",
				directory.tid(), "clientId", registration.clientId(), "credential", "certificate"));
		assertThat(generated.status()).as(generated.body()).isEqualTo(303);
		assertThat(generated.location()).isEqualTo("/oauth/setup#certificate");
		page = page(browser, slug);
		String id = onlyCertificate(slug);
		Map<String, Object> certificate = certificate(slug, id);
		assertThat(certificate).containsEntry("status", "PENDING");
		String sha1 = (String) certificate.get("thumbprintSha1");
		assertThat(page.body())
			.contains(sha1, (String) certificate.get("thumbprintSha256"), "href=\"/oauth/setup/certificate.cer\"",
					"Download certificate.cer", "Upload certificate", "Certificates &amp; secrets",
					"value=\"" + directory.tid() + "\"", "value=\"" + registration.clientId() + "\"")
			.doesNotContain("PRIVATE KEY", ">Generate a certificate</button>");
		assertThat(page.body()).containsPattern("value=\"certificate\" checked");
		assertThat(sha1Shown(page)).isEqualTo(sha1);
		// pressing again makes no second certificate
		post(browser, slug, page, "certificate", Map.of());
		assertThat(onlyCertificate(slug)).isEqualTo(id);

		// not uploaded yet: Microsoft refuses it (AADSTS700027), the page says who
		// uploads what; nothing is live
		page = verifyCertificate(browser, slug, directory.tid(), registration.clientId());
		assertThat(page.body()).contains("Something needs fixing.", "AADSTS700027",
				"Who must act:</strong> You, the " + "Microsoft Entra administrator",
				"upload the certificate with thumbprint <code>" + sha1 + "</code> to this " + "app registration");
		assertThat(hasSso(slug)).isFalse();
		assertThat(certificate(slug, id)).containsEntry("status", "PENDING");

		// the administrator uploads the file downloaded from the page: verify works, and
		// activates nothing
		Download cer = download(browser, slug);
		assertThat(cer.status()).isEqualTo(200);
		assertThat(registration.app().uploadCertificate(cer.body())).isEqualTo(sha1);
		page = verifyCertificate(browser, slug, directory.tid(), registration.clientId());
		assertThat(page.body()).contains("The credentials work.", "once it is activated");
		assertThat(certificate(slug, id)).containsEntry("status", "PENDING");
		assertThat(hasSso(slug)).isFalse();

		// the test sign-in redeems its code with an assertion signed by the (PENDING)
		// draft certificate
		entra.clearRequests();
		entra.signInAs(admin);
		page = roundTrip(browser, slug, "test");
		assertThat(page.body()).contains("The test sign-in worked.", admin.oid());
		TestEntra.Recorded redeemed = entra.requestsTo(TOKEN_PATH).get(0);
		assertThat(redeemed.form("grant_type")).isEqualTo("authorization_code");
		assertThat(redeemed.form("client_secret")).isNull();
		assertThat(SignedJWT.parse(redeemed.form("client_assertion")).getHeader().getX509CertSHA256Thumbprint())
			.isEqualTo(sha256(cer.body()));
		assertThat(certificate(slug, id)).containsEntry("status", "PENDING");

		TestBrowser.Response activated = post(browser, slug, page, "activate",
				Map.of("mode", "REQUIRED", "provisioning", "EXISTING_ONLY"));
		assertThat(activated.location()).isEqualTo("/oauth/setup#activated");
		assertThat(certificate(slug, id)).containsEntry("status", "ACTIVE");
		String tenant = okBody(this.admin.get().uri("/admin/tenants/{slug}", slug));
		assertThat(JsonPath.<String>read(tenant, "$.sso.credentialType")).isEqualTo("certificate");
		assertThat(JsonPath.<String>read(tenant, "$.sso.clientId")).isEqualTo(registration.clientId());
		assertThat(TestSchema.count("SELECT count(*) FROM audit_event WHERE tenant_slug = ? AND action IN "
				+ "('sso.certificate.created', 'sso.certificate.activated', 'sso.enabled', 'sso.setup.verified') "
				+ "AND actor LIKE 'via setup link %'", slug))
			.isEqualTo(5);

		// a normal person now signs in with it
		Org org = new Org(slug, directory, registration.app(), registration.secretValue(), this.port);
		TestEntra.User ada = person(org, "Ada Lovelace");
		entra.clearRequests();
		TestBrowser.Response signedIn = signIn(org, ada, "/reports");
		assertThat(signedIn.status()).as(signedIn.body()).isEqualTo(302);
		assertThat(signedIn.location()).isEqualTo("/reports");
		TestEntra.Recorded token = entra.requestsTo(TOKEN_PATH).get(0);
		assertThat(token.form("client_secret")).isNull();
		assertThat(SignedJWT.parse(token.form("client_assertion")).getHeader().getX509CertSHA256Thumbprint())
			.isEqualTo(sha256(cer.body()));
	}

	@Test
	void renewWhenSecretIsLiveThenCertificateReplacesItWithoutSigningAnyoneOut() throws Exception {
		Org acme = organisation();
		TestEntra.User ada = person(acme, "Ada Lovelace");
		TestEntra.User bob = person(acme, "Bob Babbage");
		TestBrowser.Response signedIn = signIn(acme, ada, "/reports");
		assertThat(signedIn.status()).isEqualTo(302);
		this.browser.follow(signedIn);
		long sessionVersion = sessionVersion(acme.slug());

		TestBrowser admin = new TestBrowser();
		TestBrowser.Response page = open(admin, (String) createLink(acme.slug(), Map.of()).get("url"));
		assertThat(page.body()).contains("Renew single sign-on for Organisation " + acme.slug(),
				"upload a new certificate");
		post(admin, acme.slug(), page, "certificate", Map.of());
		String id = onlyCertificate(acme.slug());
		Download cer = download(admin, acme.slug());
		acme.app().uploadCertificate(cer.body());
		page = verifyCertificate(admin, acme.slug(), acme.directory().tid(), acme.app().clientId());
		assertThat(page.body()).contains("The credentials work.");

		// meanwhile live sign-ins go on with the secret: the PENDING certificate signs
		// nothing of theirs
		TestBrowser other = new TestBrowser();
		entra.clearRequests();
		entra.signInAs(bob);
		TestBrowser.Response bobIn = other.follow(other.follow(other.get(acme.url("/oauth/login?next=%2F"))));
		assertThat(bobIn.status()).as(bobIn.body()).isEqualTo(302);
		assertThat(entra.requestsTo(TOKEN_PATH).get(0).form("client_secret")).isEqualTo(acme.clientSecret());
		assertThat(entra.requestsTo(TOKEN_PATH).get(0).form("client_assertion")).isNull();

		entra.clearRequests();
		entra.signInAs(ada);
		page = roundTrip(admin, acme.slug(), "test");
		assertThat(page.body()).contains("The test sign-in worked.", "is already linked to this person");
		assertThat(entra.requestsTo(TOKEN_PATH).get(0).form("client_assertion")).isNotNull();
		assertThat(admin.cookie(acme.host(), "LEAN_SESSION")).isNull();
		assertThat(certificate(acme.slug(), id)).containsEntry("status", "PENDING");

		TestBrowser.Response activated = post(admin, acme.slug(), page, "activate",
				Map.of("mode", "REQUIRED", "provisioning", "EXISTING_ONLY"));
		assertThat(activated.status()).isEqualTo(303);
		assertThat(page(admin, acme.slug()).body()).contains("Single sign-on is active");
		assertThat(certificate(acme.slug(), id)).containsEntry("status", "ACTIVE");
		String tenant = okBody(this.admin.get().uri("/admin/tenants/{slug}", acme.slug()));
		assertThat(JsonPath.<String>read(tenant, "$.sso.credentialType")).isEqualTo("certificate");
		assertThat(sessionVersion(acme.slug())).isEqualTo(sessionVersion);

		// nobody was signed out; the secret may now go: sign-ins use the certificate
		assertThat(this.browser.get(acme.url("/reports")).status()).isEqualTo(200);
		assertThat(other.get(acme.url("/reports")).status()).isEqualTo(200);
		acme.app().secret("another~" + UUID.randomUUID());
		entra.clearRequests();
		this.browser.clearCookies();
		assertThat(signIn(acme, ada, "/").status()).isEqualTo(302);
		assertThat(SignedJWT.parse(entra.requestsTo(TOKEN_PATH).get(0).form("client_assertion"))
			.getHeader()
			.getX509CertSHA256Thumbprint()).isEqualTo(sha256(cer.body()));
		assertThat(TestSchema.count("SELECT count(*) FROM audit_event WHERE tenant_slug = ? AND action = "
				+ "'sso.certificate.activated' AND actor LIKE 'via setup link %'", acme.slug()))
			.isEqualTo(1);
	}

	@Test
	void renewWhenCertificateIsLiveThenTheActiveOneSignsUntilActivateSwitchesToTheNewOne() throws Exception {
		Org acme = organisation();
		String first = JsonPath.read(okCreated(acme.slug()), "$.id");
		byte[] firstCer = this.admin.get()
			.uri("/admin/tenants/{slug}/sso/certificates/{id}/certificate.cer", acme.slug(), first)
			.exchange()
			.expectBody(byte[].class)
			.returnResult()
			.getResponseBody();
		acme.app().uploadCertificate(firstCer);
		putSso(acme.slug(),
				Map.of("provider", "entra", "entraTenantId", acme.directory().tid(), "clientId", acme.app().clientId(),
						"credentialType", "certificate", "mode", "REQUIRED", "provisioning", "EXISTING_ONLY"))
			.expectStatus()
			.isOk();
		assertThat(certificate(acme.slug(), first)).containsEntry("status", "ACTIVE");
		TestEntra.User ada = person(acme, "Ada Lovelace");
		TestEntra.User bob = person(acme, "Bob Babbage");
		TestBrowser.Response signedIn = signIn(acme, ada, "/reports");
		assertThat(signedIn.status()).isEqualTo(302);
		this.browser.follow(signedIn);

		TestBrowser admin = new TestBrowser();
		TestBrowser.Response page = open(admin, (String) createLink(acme.slug(), Map.of()).get("url"));
		// renewal keeps the live credential type: the certificate is the one chosen
		assertThat(page.body()).containsPattern("value=\"certificate\" checked")
			.contains(">Generate a certificate</button>");
		post(admin, acme.slug(), page, "certificate", Map.of());
		String second = TestSchema
			.strings("SELECT c.id::text FROM sso_certificate c JOIN tenant t ON t.id = c.tenant_id "
					+ "WHERE t.slug = ? AND c.status = 'PENDING'", acme.slug())
			.get(0);
		Download secondCer = download(admin, acme.slug());
		acme.app().uploadCertificate(secondCer.body());
		page = verifyCertificate(admin, acme.slug(), acme.directory().tid(), acme.app().clientId());
		assertThat(page.body()).contains("The credentials work.");
		assertThat(certificate(acme.slug(), first)).containsEntry("status", "ACTIVE");
		assertThat(certificate(acme.slug(), second)).containsEntry("status", "PENDING");

		// live sign-ins still sign with the ACTIVE certificate, the test sign-in with the
		// new one
		TestBrowser other = new TestBrowser();
		entra.clearRequests();
		entra.signInAs(bob);
		assertThat(other.follow(other.follow(other.get(acme.url("/oauth/login?next=%2F")))).status()).isEqualTo(302);
		assertThat(assertionThumbprint(0)).isEqualTo(sha256(firstCer));
		entra.clearRequests();
		entra.signInAs(ada);
		page = roundTrip(admin, acme.slug(), "test");
		assertThat(page.body()).contains("The test sign-in worked.");
		assertThat(assertionThumbprint(0)).isEqualTo(sha256(secondCer.body()));

		post(admin, acme.slug(), page, "activate", Map.of("mode", "REQUIRED", "provisioning", "EXISTING_ONLY"));
		assertThat(certificate(acme.slug(), second)).containsEntry("status", "ACTIVE");
		assertThat(certificate(acme.slug(), first)).containsEntry("status", "RETIRED");
		assertThat(this.browser.get(acme.url("/reports")).status()).isEqualTo(200);
		assertThat(other.get(acme.url("/reports")).status()).isEqualTo(200);
		// the old certificate may now be deleted in Entra
		acme.app().removeCertificate((String) certificate(acme.slug(), first).get("thumbprintSha1"));
		entra.clearRequests();
		this.browser.clearCookies();
		assertThat(signIn(acme, ada, "/").status()).isEqualTo(302);
		assertThat(assertionThumbprint(0)).isEqualTo(sha256(secondCer.body()));
	}

	@Test
	void activateWhenTheDraftCertificateWasRetiredMeanwhileThenClearPageAndNothingChanges() {
		String slug = organisationWithoutSso();
		TestEntra.Directory directory = entra.directory(UUID.randomUUID().toString());
		TestEntra.Registration registration = directory.newRegistration("ioTORQ LEAN", url(slug, "/oauth/complete/"));
		TestEntra.User admin = directory.addUser(UUID.randomUUID().toString(), "admin@" + slug + ".example", "Ad Min");
		TestBrowser browser = new TestBrowser();
		TestBrowser.Response page = open(browser, (String) createLink(slug, Map.of()).get("url"));
		post(browser, slug, page, "certificate",
				Map.of("entraTenantId", directory.tid(), "clientId", registration.clientId()));
		String id = onlyCertificate(slug);
		registration.app().uploadCertificate(download(browser, slug).body());
		assertThat(verifyCertificate(browser, slug, directory.tid(), registration.clientId()).body())
			.contains("The credentials work.");
		entra.signInAs(admin);
		page = roundTrip(browser, slug, "test");
		assertThat(page.body()).contains("The test sign-in worked.");

		// LEAN support withdraws the certificate before the administrator activates
		this.admin.delete()
			.uri("/admin/tenants/{slug}/sso/certificates/{id}", slug, id)
			.exchange()
			.expectStatus()
			.isNoContent();
		TestBrowser.Response refused = post(browser, slug, page, "activate",
				Map.of("mode", "REQUIRED", "provisioning", "EXISTING_ONLY"));
		assertThat(refused.status()).as(refused.headers() + refused.body()).isEqualTo(400);
		assertThat(refused.body()).contains("The draft&#39;s certificate was withdrawn meanwhile");
		assertThat(hasSso(slug)).isFalse();
		assertThat(certificate(slug, id)).containsEntry("status", "RETIRED");
		assertThat(
				TestSchema.count(
						"SELECT count(*) FROM sso_setup_session s JOIN sso_setup_link l ON l.id = s.link_id "
								+ "JOIN tenant t ON t.id = l.tenant_id WHERE t.slug = ? AND s.activated_at IS NULL",
						slug))
			.isEqualTo(1);
		// the page offers a new certificate
		assertThat(page(browser, slug).body()).contains(">Generate a certificate</button>");
	}

	@Test
	void certificateDownloadWhenNoSetupSessionOrAnotherOrganisationThenRefused() {
		String home = organisationWithoutSso();
		String other = organisationWithoutSso();
		TestBrowser browser = new TestBrowser();
		TestBrowser.Response page = open(browser, (String) createLink(home, Map.of()).get("url"));
		// no certificate in the draft yet
		assertThat(download(browser, home).status()).isEqualTo(404);
		// generated before any ID was typed
		assertThat(post(browser, home, page, "certificate", Map.of()).status()).isEqualTo(303);
		String id = onlyCertificate(home);

		Download cer = download(browser, home);
		assertThat(cer.status()).isEqualTo(200);
		assertThat(cer.contentType()).isEqualTo("application/pkix-cert");
		assertThat(cer.disposition()).startsWith("attachment").contains(".cer");
		assertThat(cer.body()).isEqualTo(this.admin.get()
			.uri("/admin/tenants/{slug}/sso/certificates/{id}/certificate.cer", home, id)
			.exchange()
			.expectBody(byte[].class)
			.returnResult()
			.getResponseBody());
		assertThat(new String(cer.body(), java.nio.charset.StandardCharsets.ISO_8859_1)).doesNotContain("PRIVATE");

		// without a setup session
		assertThat(download(new TestBrowser(), home).status()).isEqualTo(403);
		// the session's cookie on another organisation's host
		TestBrowser elsewhere = new TestBrowser();
		elsewhere.setCookie(other + ".lean.test", "LEAN_SETUP", browser.cookie(home + ".lean.test", "LEAN_SETUP"));
		assertThat(download(elsewhere, other).status()).isEqualTo(403);
		// another organisation's own setup session has no certificate of this one
		TestBrowser theirs = new TestBrowser();
		open(theirs, (String) createLink(other, Map.of()).get("url"));
		assertThat(download(theirs, other).status()).isEqualTo(404);
		// once the link is revoked, the session downloads nothing
		String linkId = TestSchema
			.strings(
					"SELECT l.id::text FROM sso_setup_link l JOIN tenant t ON t.id = l.tenant_id " + "WHERE t.slug = ?",
					home)
			.get(0);
		this.admin.delete()
			.uri("/admin/tenants/{slug}/sso/setup-links/{id}", home, linkId)
			.exchange()
			.expectStatus()
			.isOk();
		assertThat(download(browser, home).status()).isEqualTo(403);
	}

	private TestBrowser.Response verifyCertificate(TestBrowser browser, String slug, String tid, String clientId) {
		TestBrowser.Response answer = post(browser, slug, page(browser, slug), "verify",
				Map.of("entraTenantId", tid, "clientId", clientId, "credential", "certificate"));
		assertThat(answer.status()).as(answer.body()).isEqualTo(303);
		return page(browser, slug);
	}

	/**
	 * {@code GET /oauth/setup/certificate.cer} with the browser's cookies for that host,
	 * as bytes.
	 */
	private Download download(TestBrowser browser, String slug) {
		String host = slug + "." + GatewayTestProperties.BASE_DOMAIN;
		String cookie = browser.cookie(host, "LEAN_SETUP");
		return HttpClient.create().host("127.0.0.1").port(this.port).headers(headers -> {
			headers.set(HttpHeaderNames.HOST, host + ":" + this.port);
			if (cookie != null) {
				headers.set(HttpHeaderNames.COOKIE, "LEAN_SETUP=" + cookie);
			}
		})
			.get()
			.uri("/oauth/setup/certificate.cer")
			.responseSingle((head, body) -> body.asByteArray()
				.defaultIfEmpty(new byte[0])
				.map(bytes -> new Download(head.status().code(), head.responseHeaders().get("Content-Type"),
						head.responseHeaders().get("Content-Disposition"), bytes)))
			.block(Duration.ofSeconds(30));
	}

	private String okCreated(String slug) {
		return this.admin.post()
			.uri("/admin/tenants/{slug}/sso/certificates", slug)
			.contentType(org.springframework.http.MediaType.APPLICATION_JSON)
			.bodyValue(Map.of())
			.exchange()
			.expectStatus()
			.isCreated()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
	}

	/**
	 * The x5t#S256 of the client assertion of the index-th token request since the last
	 * clear.
	 */
	private static Base64URL assertionThumbprint(int index) throws Exception {
		return SignedJWT.parse(entra.requestsTo(TOKEN_PATH).get(index).form("client_assertion"))
			.getHeader()
			.getX509CertSHA256Thumbprint();
	}

	private String onlyCertificate(String slug) {
		List<String> ids = TestSchema.strings(
				"SELECT c.id::text FROM sso_certificate c JOIN tenant t ON t.id = c.tenant_id " + "WHERE t.slug = ?",
				slug);
		assertThat(ids).hasSize(1);
		return ids.get(0);
	}

	@SuppressWarnings("unchecked")
	private Map<String, Object> certificate(String slug, String id) {
		return this.admin.get()
			.uri("/admin/tenants/{slug}/sso/certificates/{id}", slug, id)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(Map.class)
			.returnResult()
			.getResponseBody();
	}

	private static String sha1Shown(TestBrowser.Response page) {
		Matcher matcher = SHA1.matcher(page.body());
		assertThat(matcher.find()).as("SHA-1 thumbprint on the page").isTrue();
		return matcher.group(1);
	}

	private static boolean hasSso(String slug) {
		return TestSchema.count(
				"SELECT count(*) FROM sso_settings s JOIN tenant t ON t.id = s.tenant_id WHERE t.slug = ?", slug) > 0;
	}

	private static long sessionVersion(String slug) {
		return TestSchema
			.count("SELECT s.session_version FROM sso_settings s JOIN tenant t ON t.id = s.tenant_id WHERE "
					+ "t.slug = ?", slug);
	}

	private static Base64URL sha256(byte[] der) throws Exception {
		return Base64URL.encode(MessageDigest.getInstance("SHA-256").digest(der));
	}

	private record Download(int status, String contentType, String disposition, byte[] body) {
	}

}
