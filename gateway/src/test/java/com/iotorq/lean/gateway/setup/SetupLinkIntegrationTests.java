package com.iotorq.lean.gateway.setup;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;

import org.springframework.http.MediaType;

import com.iotorq.lean.gateway.test.TestBrowser;
import com.iotorq.lean.gateway.test.TestSchema;
import com.iotorq.lean.gateway.test.entra.TestEntra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Setup links over real HTTP: the admin API and its validation, links that must not open
 * (expired, revoked, used, another organisation's), setup sessions that end with their
 * link, and the renewal of a live organisation's secret without interrupting anyone.
 */
class SetupLinkIntegrationTests extends SetupFlowSupport {

	@Test
	void createWhenNoBodyThenLinkForSeventyTwoHoursWhoseTokenIsOnlyStoredHashed() {
		String slug = organisationWithoutSso();
		Instant before = Instant.now();
		Map<String, Object> link = createLink(slug, Map.of());

		String url = (String) link.get("url");
		assertThat(url).matches("http://" + slug + "\\.lean\\.test/oauth/setup/[A-Za-z0-9_-]{43}");
		String token = url.substring(url.lastIndexOf('/') + 1);
		Instant expiresAt = Instant.parse((String) link.get("expiresAt"));
		assertThat(Duration.between(before, expiresAt)).isBetween(Duration.ofHours(71), Duration.ofHours(73));
		assertThat(link).containsEntry("mailed", false);
		assertThat(TestSchema
			.count("SELECT count(*) FROM sso_setup_link WHERE token_hash = sha256(convert_to(?, 'UTF8'))", token))
			.isEqualTo(1);
		assertThat(TestSchema.count("SELECT count(*) FROM audit_event WHERE tenant_slug = ? AND action = "
				+ "'sso.setup-link.created' AND after::text NOT LIKE ?", slug, "%" + token + "%"))
			.isEqualTo(1);

		String listed = this.admin.get()
			.uri("/admin/tenants/{slug}/sso/setup-links", slug)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.items[0].id")
			.isEqualTo(link.get("id"))
			.jsonPath("$.items[0].createdAt")
			.isNotEmpty()
			.jsonPath("$.items[0].expiresAt")
			.isNotEmpty()
			.jsonPath("$.items[0].usedAt")
			.doesNotExist()
			.returnResult()
			.toString();
		assertThat(listed).doesNotContain(token);
	}

	@Test
	void createWhenInvalidThenProblemListingEveryField() {
		String slug = organisationWithoutSso();
		this.admin.post()
			.uri("/admin/tenants/{slug}/sso/setup-links", slug)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("email", "not an address", "expiresInHours", 169, "tokenTtl", 1))
			.exchange()
			.expectStatus()
			.isEqualTo(422)
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.errors[?(@.field == 'email')].message")
			.isNotEmpty()
			.jsonPath("$.errors[?(@.field == 'expiresInHours')].message")
			.isEqualTo("must be a whole number from 1 to 168")
			.jsonPath("$.errors[?(@.field == 'tokenTtl')].message")
			.isNotEmpty();
		this.admin.post()
			.uri("/admin/tenants/{slug}/sso/setup-links", slug)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("expiresInHours", 0))
			.exchange()
			.expectStatus()
			.isEqualTo(422);
		this.admin.post()
			.uri("/admin/tenants/{slug}/sso/setup-links", slug)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("[1]")
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON);
		this.admin.post()
			.uri("/admin/tenants/{slug}/sso/setup-links", "no-such-org")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of())
			.exchange()
			.expectStatus()
			.isNotFound()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON);
		this.admin.delete()
			.uri("/admin/tenants/{slug}/sso/setup-links/{id}", slug, UUID.randomUUID())
			.exchange()
			.expectStatus()
			.isNotFound();
		this.admin.delete()
			.uri("/admin/tenants/{slug}/sso/setup-links/{id}", slug, "not-a-uuid")
			.exchange()
			.expectStatus()
			.isNotFound();
		assertThat(TestSchema.count(
				"SELECT count(*) FROM sso_setup_link l JOIN tenant t ON t.id = l.tenant_id " + "WHERE t.slug = ?",
				slug))
			.isZero();
	}

	@Test
	void createWithEmailThenLinkIsMailedAndOpensOnce() throws Exception {
		String slug = organisationWithoutSso();
		String email = "it.admin@" + slug + ".example";
		Map<String, Object> link = createLink(slug, Map.of("email", email, "expiresInHours", 24));
		assertThat(link).containsEntry("mailed", true);

		await().atMost(Duration.ofSeconds(10)).until(() -> mailTo(email) != null);
		MimeMessage message = mailTo(email);
		assertThat(message.getSubject()).contains("Set up single sign-on to ioTORQ LEAN for Organisation " + slug);
		assertThat((String) message.getContent()).contains((String) link.get("url"));

		TestBrowser browser = new TestBrowser();
		TestBrowser.Response opened = browser.get(reachable((String) link.get("url")));
		assertThat(opened.status()).isEqualTo(302);
		assertThat(opened.location()).isEqualTo("/oauth/setup");
		assertThat(opened.header("Referrer-Policy")).isEqualTo("no-referrer");
		String cookie = opened.header("Set-Cookie");
		assertThat(cookie).startsWith("LEAN_SETUP=")
			.containsIgnoringCase("HttpOnly")
			.contains("Path=/oauth/setup", "SameSite=Strict", "Max-Age=14400")
			.doesNotContainIgnoringCase("Domain=");
		TestBrowser.Response page = browser.follow(opened);
		assertThat(page.status()).isEqualTo(200);
		assertThat(page.header("Content-Security-Policy")).contains("default-src 'none'", "script-src 'sha256-",
				"frame-ancestors 'none'");
		assertThat(page.body()).contains("Set up single sign-on for Organisation " + slug, "name=\"entraTenantId\"",
				"name=\"clientId\"", "name=\"clientSecret\"", "name=\"clientSecretExpiresAt\"", ">Verify</button>",
				">Test sign-in</button>", ">Activate</button>",
				"http://" + slug + ".lean.test:" + this.port + "/oauth/complete/");

		// opened again before anything was done (a mail scanner came first): the new
		// browser gets the session
		TestBrowser admin = new TestBrowser();
		page = open(admin, (String) link.get("url"));
		assertThat(page(browser, slug).status()).isEqualTo(403);
		TestBrowser.Response posted = post(admin, slug, page, "verify", Map.of("entraTenantId",
				UUID.randomUUID().toString(), "clientId", UUID.randomUUID().toString(), "clientSecret", "some~value"));
		assertThat(posted.status()).isEqualTo(303);

		// once the setup has started there, the link opens nowhere else
		TestBrowser.Response used = new TestBrowser().get(reachable((String) link.get("url")));
		assertThat(used.status()).isEqualTo(410);
		assertThat(used.body()).contains("This setup link can no longer be used", "has started in another browser",
				"Ask LEAN support for a new setup link");
		assertThat(page(admin, slug).status()).isEqualTo(200);
		this.admin.get()
			.uri("/admin/tenants/{slug}/sso/setup-links", slug)
			.exchange()
			.expectBody()
			.jsonPath("$.items[0].usedAt")
			.isNotEmpty();
	}

	@Test
	void linkWhenExpiredThenGonePage() {
		String slug = organisationWithoutSso();
		Map<String, Object> link = createLink(slug, Map.of("expiresInHours", 1));
		TestSchema.execute("UPDATE sso_setup_link SET expires_at = now() - interval '1 minute' WHERE id = ?::uuid",
				link.get("id"));

		TestBrowser.Response expired = new TestBrowser().get(reachable((String) link.get("url")));
		assertThat(expired.status()).isEqualTo(410);
		assertThat(expired.header("X-Lean-Error")).isEqualTo("setup-link-gone");
		assertThat(expired.body()).contains("This setup link has expired.", "Ask LEAN support for a new setup link");
		assertThat(expired.header("Set-Cookie")).isNull();
	}

	@Test
	void linkWhenRevokedThenGonePageAndOpenSessionEndsAtOnce() {
		String slug = organisationWithoutSso();
		Map<String, Object> first = createLink(slug, Map.of());
		Map<String, Object> second = createLink(slug, Map.of());
		TestBrowser browser = new TestBrowser();
		TestBrowser.Response page = open(browser, (String) first.get("url"));
		assertThat(page.status()).isEqualTo(200);

		this.admin.delete()
			.uri("/admin/tenants/{slug}/sso/setup-links/{id}", slug, first.get("id"))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.revokedAt")
			.isNotEmpty();
		this.admin.delete()
			.uri("/admin/tenants/{slug}/sso/setup-links/{id}", slug, second.get("id"))
			.exchange()
			.expectStatus()
			.isOk();

		// the session cookie no longer opens anything, nor can it post
		TestBrowser.Response replayed = page(browser, slug);
		assertThat(replayed.status()).isEqualTo(403);
		assertThat(replayed.header("X-Lean-Error")).isEqualTo("setup-session-ended");
		assertThat(replayed.body()).doesNotContain("name=\"entraTenantId\"");
		TestBrowser.Response posted = post(browser, slug, page, "verify", Map.of("entraTenantId",
				UUID.randomUUID().toString(), "clientId", UUID.randomUUID().toString(), "clientSecret", "x~y"));
		assertThat(posted.status()).isEqualTo(403);
		assertThat(
				TestSchema.count("SELECT count(*) FROM sso_setup_session WHERE draft_version > 0 AND link_id = ?::uuid",
						first.get("id")))
			.isZero();

		TestBrowser.Response revoked = new TestBrowser().get(reachable((String) second.get("url")));
		assertThat(revoked.status()).isEqualTo(410);
		assertThat(revoked.body()).contains("LEAN support has revoked this setup link.");
		assertThat(TestSchema.count(
				"SELECT count(*) FROM audit_event WHERE tenant_slug = ? AND action = " + "'sso.setup-link.revoked'",
				slug))
			.isEqualTo(2);
	}

	@Test
	void linkWhenUsedOnAnotherOrganisationsHostThenUnknownThereAndStillUnusedAtHome() {
		String home = organisationWithoutSso();
		String other = organisationWithoutSso();
		Map<String, Object> link = createLink(home, Map.of());
		String path = URI.create((String) link.get("url")).getRawPath();

		TestBrowser.Response elsewhere = new TestBrowser().get(url(other, path));
		assertThat(elsewhere.status()).isEqualTo(404);
		assertThat(elsewhere.header("X-Lean-Error")).isEqualTo("setup-link-unknown");
		assertThat(elsewhere.header("Set-Cookie")).isNull();
		assertThat(new TestBrowser().get(url(other, "/oauth/setup/garbage%3Cscript%3E")).status()).isEqualTo(404);

		// nothing was used up: it still opens where it belongs
		assertThat(open(new TestBrowser(), (String) link.get("url")).status()).isEqualTo(200);
		// a session cookie is host-only and bound to its organisation
		TestBrowser browser = new TestBrowser();
		open(browser, (String) createLink(home, Map.of()).get("url"));
		browser.setCookie(other + ".lean.test", "LEAN_SETUP", browser.cookie(home + ".lean.test", "LEAN_SETUP"));
		assertThat(page(browser, other).status()).isEqualTo(403);
	}

	@Test
	void formWhenPostedWithoutTheSessionsCsrfTokenThenRefused() {
		String slug = organisationWithoutSso();
		TestBrowser browser = new TestBrowser();
		open(browser, (String) createLink(slug, Map.of()).get("url"));
		TestBrowser.Response forged = browser.post(url(slug, "/oauth/setup"),
				"action=activate&mode=REQUIRED&provisioning=AUTO_ACTIVATE&csrf=forged", Map.of());
		assertThat(forged.status()).isEqualTo(403);
		TestBrowser.Response crossSite = browser.post(url(slug, "/oauth/setup"), "action=verify",
				Map.of("Sec-Fetch-Site", "cross-site"));
		assertThat(crossSite.status()).isEqualTo(403);
		assertThat(new TestBrowser().get(url(slug, "/oauth/setup")).status()).isEqualTo(403);
	}

	@Test
	void verifyWhenInputsInvalidThenPageSaysWhatToCorrectKeepsNothingAndEscapesWhatWasTyped() {
		String slug = organisationWithoutSso();
		TestBrowser browser = new TestBrowser();
		TestBrowser.Response page = open(browser, (String) createLink(slug, Map.of()).get("url"));

		TestBrowser.Response refused = post(browser, slug, page, "verify",
				Map.of("entraTenantId", "\"><script>alert(1)</script>", "clientId", "", "clientSecret",
						UUID.randomUUID().toString(), "clientSecretExpiresAt", "2001-01-01", "credential", "secret"));
		assertThat(refused.status()).isEqualTo(422);
		assertThat(refused.body())
			.contains("must be the Directory (tenant) ID", "Enter the Application (client) ID.",
					"probably the client secret&#39;s Secret ID rather than its Value", "This date is in the past")
			.contains("&quot;&gt;&lt;script&gt;")
			.doesNotContain("<script>alert(1)");
		assertThat(
				TestSchema.count("SELECT count(*) FROM sso_setup_session s JOIN sso_setup_link l ON l.id = s.link_id "
						+ "JOIN tenant t ON t.id = l.tenant_id WHERE t.slug = ? AND s.draft_version = 0", slug))
			.isEqualTo(1);
	}

	@Test
	void renewWhenSsoIsLiveThenNewSecretIsTestedAndActivatedWithoutInterruptingAnyone() {
		Org acme = organisation();
		TestEntra.User ada = person(acme, "Ada Lovelace");
		TestBrowser.Response signedIn = signIn(acme, ada, "/reports");
		assertThat(signedIn.status()).isEqualTo(302);
		this.browser.follow(signedIn);
		long sessionVersion = TestSchema.count("SELECT s.session_version FROM sso_settings s JOIN tenant t ON t.id = "
				+ "s.tenant_id WHERE t.slug = ?", acme.slug());
		String oldCiphertext = ciphertext(acme.slug());

		TestBrowser admin = new TestBrowser();
		TestBrowser.Response page = open(admin, (String) createLink(acme.slug(), Map.of()).get("url"));
		assertThat(page.body())
			.contains("Renew single sign-on for Organisation " + acme.slug(),
					"value=\"" + acme.directory().tid() + "\"", "value=\"" + acme.app().clientId() + "\"")
			.doesNotContain(acme.clientSecret());

		// the Entra administrator adds a new secret; the old one keeps working meanwhile
		String newSecret = "renewed~" + UUID.randomUUID().toString().replace("-", "");
		acme.app().addSecret(newSecret);
		page = verify(admin, acme.slug(), acme.directory().tid(), acme.app().clientId(), newSecret);
		assertThat(page.body()).contains("The credentials work.").doesNotContain(newSecret);
		assertThat(ciphertext(acme.slug())).isEqualTo(oldCiphertext);

		entra.signInAs(ada);
		page = roundTrip(admin, acme.slug(), "test");
		assertThat(page.body()).contains("The test sign-in worked.", ada.oid(), ada.email(),
				"is already linked to this person");
		// the test made no session and changed no account
		assertThat(admin.cookie(acme.host(), "LEAN_SESSION")).isNull();
		assertThat(this.browser.cookie(acme.host(), "LEAN_SESSION")).isNotNull();
		assertThat(TestSchema
			.count("SELECT count(*) FROM account a JOIN tenant t ON t.id = a.tenant_id WHERE t.slug = ?", acme.slug()))
			.isEqualTo(1);

		TestBrowser.Response activated = post(admin, acme.slug(), page, "activate",
				Map.of("mode", "REQUIRED", "provisioning", "EXISTING_ONLY"));
		assertThat(activated.status()).isEqualTo(303);
		assertThat(page(admin, acme.slug()).body()).contains("Single sign-on is active");
		assertThat(ciphertext(acme.slug())).isNotEqualTo(oldCiphertext);
		assertThat(TestSchema.count("SELECT s.session_version FROM sso_settings s JOIN tenant t ON t.id = s.tenant_id "
				+ "WHERE t.slug = ?", acme.slug()))
			.isEqualTo(sessionVersion);

		// Ada's session goes on, and the old secret may now be removed in Entra: sign-ins
		// use the new one
		TestBrowser.Response still = this.browser.get(acme.url("/reports"));
		assertThat(still.status()).isEqualTo(200);
		acme.app().secret(newSecret);
		this.browser.clearCookies();
		assertThat(signIn(acme, ada, "/").status()).isEqualTo(302);

		List<String> actors = TestSchema.strings("SELECT DISTINCT actor FROM audit_event WHERE tenant_slug = ? AND "
				+ "(action LIKE 'sso.setup.%' OR action = 'sso.updated')", acme.slug());
		assertThat(actors).hasSize(1);
		assertThat(actors.get(0)).startsWith("via setup link ");
		assertThat(TestSchema.count("SELECT count(*) FROM audit_event WHERE tenant_slug = ? AND action = 'sso.updated' "
				+ "AND actor LIKE 'via setup link %'", acme.slug()))
			.isEqualTo(1);
	}

	@Test
	void activateWhenDraftChangedSinceTheTestSignInThenRefusedUntilTestedAgain() {
		String slug = organisationWithoutSso();
		TestEntra.Directory directory = entra.directory(UUID.randomUUID().toString());
		TestEntra.Registration registration = directory.newRegistration("ioTORQ LEAN", url(slug, "/oauth/complete/"));
		registration.app().requireAssignment(true);
		TestEntra.User nobody = directory.addUser(UUID.randomUUID().toString(), "nobody@" + slug + ".example",
				"No Body");
		TestEntra.User admin = directory.addUser(UUID.randomUUID().toString(), "admin@" + slug + ".example", "Ad Min");
		registration.app().assign(admin);
		TestBrowser browser = new TestBrowser();
		open(browser, (String) createLink(slug, Map.of()).get("url"));

		TestBrowser.Response page = verify(browser, slug, directory.tid(), registration.clientId(), "wrong~secret");
		assertThat(page.body()).contains("Something needs fixing.", "AADSTS7000215", "Secret ID");
		assertThat(hasSso(slug)).isFalse();
		// Activate before any test sign-in: nothing happens
		post(browser, slug, page, "activate", Map.of("mode", "REQUIRED", "provisioning", "AUTO_ACTIVATE"));
		assertThat(hasSso(slug)).isFalse();

		page = verify(browser, slug, directory.tid(), registration.clientId(), registration.secretValue());
		assertThat(page.body()).contains("The credentials work.");
		entra.signInAs(nobody);
		page = roundTrip(browser, slug, "test");
		assertThat(page.body()).contains("The test sign-in failed.", "AADSTS50105",
				"You are not assigned to ioTORQ LEAN", "Users and groups");
		entra.signInAs(admin);
		page = roundTrip(browser, slug, "test");
		assertThat(page.body()).contains("The test sign-in worked.", admin.oid(), "No LEAN account",
				"An active account is created for " + admin.email());

		// a changed draft (here the same IDs verified again, with a new secret) needs a
		// new test
		registration.app().addSecret("second~secret-value");
		page = verify(browser, slug, directory.tid(), registration.clientId(), "second~secret-value");
		assertThat(page.body()).contains("test again").contains("disabled>Activate</button>");
		TestBrowser.Response refused = post(browser, slug, page, "activate",
				Map.of("mode", "REQUIRED", "provisioning", "AUTO_ACTIVATE"));
		assertThat(refused.location()).isEqualTo("/oauth/setup#step-4");
		assertThat(hasSso(slug)).isFalse();

		page = roundTrip(browser, slug, "test");
		TestBrowser.Response activated = post(browser, slug, page, "activate",
				Map.of("mode", "OPTIONAL", "provisioning", "AUTO_ACTIVATE"));
		assertThat(activated.location()).isEqualTo("/oauth/setup#activated");
		this.admin.get()
			.uri("/admin/tenants/{slug}", slug)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.sso.entraTenantId")
			.isEqualTo(directory.tid())
			.jsonPath("$.sso.clientId")
			.isEqualTo(registration.clientId())
			.jsonPath("$.sso.mode")
			.isEqualTo("OPTIONAL")
			.jsonPath("$.sso.provisioning")
			.isEqualTo("AUTO_ACTIVATE");
		// the test sign-ins created no account
		assertThat(TestSchema
			.count("SELECT count(*) FROM account a JOIN tenant t ON t.id = a.tenant_id WHERE t.slug = ?", slug))
			.isZero();
		// a second press changes nothing
		post(browser, slug, page, "activate", Map.of("mode", "REQUIRED", "provisioning", "EXISTING_ONLY"));
		assertThat(TestSchema.count("SELECT count(*) FROM audit_event WHERE tenant_slug = ? AND action IN "
				+ "('sso.enabled', 'sso.updated')", slug))
			.isEqualTo(1);
	}

	private static boolean hasSso(String slug) {
		return TestSchema.count(
				"SELECT count(*) FROM sso_settings s JOIN tenant t ON t.id = s.tenant_id WHERE t.slug = ?", slug) > 0;
	}

	private static String ciphertext(String slug) {
		return TestSchema
			.strings("SELECT encode(s.client_secret_ciphertext, 'hex') FROM sso_settings s JOIN tenant t ON "
					+ "t.id = s.tenant_id WHERE t.slug = ?", slug)
			.get(0);
	}

	private static MimeMessage mailTo(String email) throws Exception {
		for (MimeMessage message : mail.getReceivedMessages()) {
			if (message.getAllRecipients()[0].toString().equalsIgnoreCase(email)) {
				return message;
			}
		}
		return null;
	}

}
