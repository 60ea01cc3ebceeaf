package com.iotorq.lean.gateway.activation;

import java.net.URI;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;

import org.springframework.http.MediaType;

import com.iotorq.lean.gateway.test.SignInTestSupport;
import com.iotorq.lean.gateway.test.TestBrowser;
import com.iotorq.lean.gateway.test.TestSchema;
import com.iotorq.lean.gateway.test.entra.TestEntra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * PENDING_ACTIVATION end to end: the first sign-in creates the account and mails a link
 * through a real SMTP server; the link confirms on GET, activates on POST, and works
 * once.
 */
class ActivationIntegrationTests extends SignInTestSupport {

	private static final Pattern LINK = Pattern.compile("(http://\\S+/account/activate\\?token=([A-Za-z0-9_-]+))");

	@Test
	void firstSignInWhenPendingActivationThenMailedLinkActivatesAndNextSignInSucceeds() throws Exception {
		Org acme = organisation("PENDING_ACTIVATION");
		TestEntra.User ada = stranger(acme, "Ada Lovelace");

		TestBrowser.Response refused = signIn(acme, ada, "/reports");
		assertThat(refused.status()).isEqualTo(200);
		assertThat(refused.body()).contains("Activate your ioTORQ LEAN account")
			.contains("a***e@" + acme.slug() + ".example")
			.doesNotContain(ada.email())
			.contains("action=\"/account/resend-activation\"");
		assertThat(status(acme, ada.email())).isEqualTo("PENDING_ACTIVATION");

		MimeMessage message = onlyMailTo(acme, ada.email());
		assertThat(message.getSubject()).contains("Activate your ioTORQ LEAN account");
		Matcher link = LINK.matcher((String) message.getContent());
		assertThat(link.find()).isTrue();
		String url = link.group(1);
		String token = link.group(2);
		assertThat(URI.create(url).getAuthority()).isEqualTo(acme.host() + ":" + this.port);
		// only the hash is stored
		assertThat(TestSchema
			.count("SELECT count(*) FROM account_activation WHERE token_hash = sha256(convert_to(?, 'UTF8'))", token))
			.isEqualTo(1);
		assertThat(TestSchema.count("SELECT count(*) FROM account_activation WHERE encode(token_hash, 'escape') LIKE ?",
				"%" + token + "%"))
			.isZero();

		// following the link (as a mail scanner would) only shows a confirmation
		TestBrowser.Response confirm = this.browser.get(url);
		assertThat(confirm.status()).isEqualTo(200);
		assertThat(confirm.body()).contains("method=\"post\" action=\"/account/activate\"")
			.contains("name=\"token\" value=\"" + token + "\"");
		assertThat(confirm.header("Referrer-Policy")).isEqualTo("no-referrer");
		this.browser.get(url);
		assertThat(status(acme, ada.email())).isEqualTo("PENDING_ACTIVATION");

		TestBrowser.Response activated = post(acme, "/account/activate", "token=" + token);
		assertThat(activated.status()).isEqualTo(200);
		assertThat(activated.body()).contains("Your ioTORQ LEAN account is active");
		assertThat(status(acme, ada.email())).isEqualTo("ACTIVE");

		// single use
		TestBrowser.Response again = post(acme, "/account/activate", "token=" + token);
		assertThat(again.status()).isEqualTo(400);
		assertThat(again.header("X-Lean-Error")).isEqualTo("activation-link-invalid");
		assertThat(this.browser.get(url).body()).contains("already active");

		TestBrowser.Response signedIn = signIn(acme, ada, "/reports");
		assertThat(signedIn.status()).isEqualTo(302);
		assertThat(signedIn.location()).isEqualTo("/reports");
		this.browser.follow(signedIn);
		assertThat(backend.last().header("X-Lean-User-Email")).containsExactly(ada.email());
		assertThat(backend.received()).noneMatch(r -> r.path().startsWith("/account"));
	}

	@Test
	void resendWhenAskedTwiceWithinAMinuteThenSecondIsRateLimited() throws Exception {
		Org acme = organisation("PENDING_ACTIVATION");
		TestEntra.User ada = stranger(acme, "Ada Lovelace");
		signIn(acme, ada, "/");
		assertThat(mailsTo(ada.email())).hasSize(1);

		TestBrowser.Response tooSoon = post(acme, "/account/resend-activation", "");
		assertThat(tooSoon.status()).isEqualTo(429);
		assertThat(tooSoon.header("Retry-After")).isEqualTo("60");
		assertThat(mailsTo(ada.email())).hasSize(1);

		// a minute later
		TestSchema.execute(
				"UPDATE account SET activation_sent_at = now() - interval '61 seconds' WHERE lower(email) = lower(?)",
				ada.email());
		TestBrowser.Response resent = post(acme, "/account/resend-activation", "");
		assertThat(resent.status()).isEqualTo(200);
		assertThat(resent.body())
			.contains("We sent an email with an activation link to a***e@" + acme.slug() + ".example");
		await().atMost(java.time.Duration.ofSeconds(10)).until(() -> mailsTo(ada.email()).size() == 2);

		// without the session of the refused sign-in there is nobody to send to
		TestBrowser stranger = new TestBrowser();
		assertThat(stranger.post(acme.url("/account/resend-activation"), "", Map.of()).status()).isEqualTo(400);
	}

	@Test
	void linkWhenExpiredOrOfAnotherOrganisationThenRefused() throws Exception {
		Org acme = organisation("PENDING_ACTIVATION");
		Org globex = organisation("PENDING_ACTIVATION");
		TestEntra.User ada = stranger(acme, "Ada Lovelace");
		signIn(acme, ada, "/");
		Matcher link = LINK.matcher((String) onlyMailTo(acme, ada.email()).getContent());
		assertThat(link.find()).isTrue();
		String token = link.group(2);

		// another organisation's host does not know the link
		assertThat(this.browser.get(globex.url("/account/activate?token=" + token)).status()).isEqualTo(400);
		assertThat(post(globex, "/account/activate", "token=" + token).status()).isEqualTo(400);

		TestSchema.execute("UPDATE account_activation SET expires_at = now() - interval '1 minute'");
		TestBrowser.Response expired = this.browser.get(link.group(1));
		assertThat(expired.status()).isEqualTo(400);
		assertThat(expired.body()).contains("This activation link cannot be used");
		assertThat(post(acme, "/account/activate", "token=" + token).status()).isEqualTo(400);
		assertThat(status(acme, ada.email())).isEqualTo("PENDING_ACTIVATION");
		assertThat(this.browser.get(acme.url("/account/activate?token=garbage%3Cscript%3E")).status()).isEqualTo(400);
	}

	@Test
	void accountPathsWhenAnonymousThenAnsweredByGatewayWithoutSessionAndNeverForwarded() {
		Org acme = organisation();
		TestBrowser.Response unknown = this.browser.get(acme.url("/account/settings"));
		assertThat(unknown.status()).isEqualTo(404);
		TestBrowser.Response activate = this.browser.get(acme.url("/account/activate"));
		assertThat(activate.status()).isEqualTo(400);
		assertThat(activate.location()).isNull();
		assertThat(this.browser.get(acme.url("/account/resend-activation")).status()).isEqualTo(405);
		assertThat(backend.received()).isEmpty();
		// a cross-site form cannot activate anything
		TestBrowser.Response crossSite = this.browser.post(acme.url("/account/activate"), "token=x",
				Map.of("Sec-Fetch-Site", "cross-site"));
		assertThat(crossSite.status()).isEqualTo(403);
	}

	@Test
	void adminWhenActivatingAndDisablingThenStatusChangesAndHistoryStays() throws Exception {
		Org acme = organisation("PENDING_ACTIVATION");
		TestEntra.User ada = stranger(acme, "Ada Lovelace");
		signIn(acme, ada, "/");
		Matcher link = LINK.matcher((String) onlyMailTo(acme, ada.email()).getContent());
		assertThat(link.find()).isTrue();

		this.admin.post()
			.uri("/admin/tenants/{slug}/users/{email}/activate", acme.slug(), ada.email())
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo("ACTIVE");
		// the mailed link no longer works once an administrator decided
		assertThat(post(acme, "/account/activate", "token=" + link.group(2)).status()).isEqualTo(400);
		this.browser.clearCookies();
		assertThat(signIn(acme, ada, "/").status()).isEqualTo(302);

		this.admin.delete()
			.uri("/admin/tenants/{slug}/users/{email}", acme.slug(), ada.email())
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo("DISABLED");
		this.admin.get()
			.uri("/admin/tenants/{slug}/users/{email}", acme.slug(), ada.email())
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo("DISABLED")
			.jsonPath("$.lastSignInAt")
			.isNotEmpty();
		this.browser.clearCookies();
		TestBrowser.Response disabled = signIn(acme, ada, "/");
		assertThat(disabled.status()).isEqualTo(403);
		assertThat(disabled.header("X-Lean-Error")).isEqualTo("account-disabled");
		assertThat(TestSchema.count("SELECT count(*) FROM audit_event WHERE tenant_slug = ? AND subject = ?",
				acme.slug(), ada.email()))
			.isGreaterThanOrEqualTo(2);

		this.admin.delete()
			.uri("/admin/tenants/{slug}/users/{email}", acme.slug(), "nobody@" + acme.slug() + ".example")
			.exchange()
			.expectStatus()
			.isNotFound();
		this.admin.post()
			.uri("/admin/tenants/{slug}/users/{email}/activate", "no-such-org", ada.email())
			.exchange()
			.expectStatus()
			.isNotFound();
	}

	@Test
	void pendingAccountWhenCreatedByAdminThenFirstSignInMailsTheLink() throws Exception {
		Org acme = organisation("EXISTING_ONLY");
		TestEntra.User grace = stranger(acme, "Grace Hopper");
		this.admin.put()
			.uri("/admin/tenants/{slug}/users/{email}", acme.slug(), grace.email())
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("status", "PENDING_ACTIVATION"))
			.exchange()
			.expectStatus()
			.isCreated();
		TestBrowser.Response page = signIn(acme, grace, "/");
		assertThat(page.body()).contains("g***r@" + acme.slug() + ".example");
		assertThat(onlyMailTo(acme, grace.email()).getContent().toString()).contains("/account/activate?token=");
	}

	@Test
	void linkWhenOpenedOnAnotherDeviceThenOneSignInAsTheBoundIdentityActivatesAndSignsIn() throws Exception {
		Org acme = organisation("PENDING_ACTIVATION");
		TestEntra.User ada = stranger(acme, "Ada Lovelace");
		signIn(acme, ada, "/");
		Matcher link = LINK.matcher((String) onlyMailTo(acme, ada.email()).getContent());
		assertThat(link.find()).isTrue();

		// the mail opened on a phone: nobody has signed in there
		TestBrowser phone = new TestBrowser();
		TestBrowser.Response confirm = phone.get(link.group(1));
		assertThat(confirm.status()).isEqualTo(200);
		assertThat(confirm.body()).contains("Sign in and activate")
			.contains("name=\"token\" value=\"" + link.group(2) + "\"");
		TestBrowser.Response posted = post(phone, acme, "/account/activate", "token=" + link.group(2));
		assertThat(posted.status()).isEqualTo(303);
		assertThat(posted.location()).isEqualTo("/oauth/login?next=/account/activate");
		assertThat(status(acme, ada.email())).isEqualTo("PENDING_ACTIVATION");

		entra.signInAs(ada);
		TestBrowser.Response callback = phone.follow(phone.follow(phone.follow(posted)));
		assertThat(callback.status()).isEqualTo(302);
		assertThat(callback.location()).isEqualTo("/oauth/login");
		assertThat(status(acme, ada.email())).isEqualTo("ACTIVE");
		assertThat(TestSchema.count(
				"SELECT count(*) FROM audit_event WHERE tenant_slug = ? AND action = 'account.activated'", acme.slug()))
			.isEqualTo(1);

		// the sign-in that follows lets her in
		TestBrowser.Response home = phone.followAll(callback);
		assertThat(home.status()).isEqualTo(200);
		assertThat(backend.last().header("X-Lean-User-Email")).containsExactly(ada.email());
		assertThat(mailsTo(ada.email())).hasSize(1);
	}

	@Test
	void linkWhenOpenedByAnotherIdentityThenRefusedAndTheAccountStaysPendingForTheIdentityThatCausedIt()
			throws Exception {
		Org acme = organisation("PENDING_ACTIVATION");
		TestEntra.User ada = stranger(acme, "Ada Lovelace");
		assertThat(signIn(acme, ada, "/").body()).contains("Activate your ioTORQ LEAN account");
		Matcher link = LINK.matcher((String) onlyMailTo(acme, ada.email()).getContent());
		assertThat(link.find()).isTrue();
		String token = link.group(2);

		// another identity of the directory now carries the same (verified) address
		TestEntra.User other = acme.directory().addUser(UUID.randomUUID().toString(), ada.email(), "Someone Else");
		acme.app().assign(other);
		TestBrowser others = new TestBrowser();
		TestBrowser.Response posted = post(others, acme, "/account/activate", "token=" + token);
		assertThat(posted.status()).isEqualTo(303);
		entra.signInAs(other);
		TestBrowser.Response refused = others.follow(others.follow(others.follow(posted)));
		assertThat(refused.status()).isEqualTo(403);
		assertThat(refused.body()).contains("This activation link is for someone else").doesNotContain(ada.email());
		assertThat(status(acme, ada.email())).isEqualTo("PENDING_ACTIVATION");
		// the attempt is gone from the session: signing in again is an ordinary sign-in
		entra.signInAs(other);
		assertThat(others.followAll(others.get(acme.url("/oauth/login"))).body())
			.contains("No ioTORQ LEAN account for you yet");

		// someone with an active account of their own: signed in as themselves, the link
		// refused
		TestEntra.User colleague = stranger(acme, "Grace Hopper");
		account(acme, colleague.email(), "ACTIVE");
		TestBrowser colleagues = new TestBrowser();
		entra.signInAs(colleague);
		TestBrowser.Response signedIn = colleagues
			.followAll(post(colleagues, acme, "/account/activate", "token=" + token));
		assertThat(signedIn.status()).isEqualTo(403);
		assertThat(signedIn.url().getPath()).isEqualTo("/account/activate");
		assertThat(signedIn.body()).contains("This activation link is for someone else");
		assertThat(status(acme, ada.email())).isEqualTo("PENDING_ACTIVATION");

		// the identity that caused it still can, with the same link
		entra.signInAs(ada);
		TestBrowser adas = new TestBrowser();
		adas.followAll(post(adas, acme, "/account/activate", "token=" + token));
		assertThat(status(acme, ada.email())).isEqualTo("ACTIVE");
		this.browser.clearCookies();
		assertThat(signIn(acme, other, "/").status()).isEqualTo(403);
		this.browser.clearCookies();
		assertThat(signIn(acme, ada, "/reports").location()).isEqualTo("/reports");
	}

	@Test
	void autoActivateWhenTheDirectoryDoesNotVouchForTheEmailThenPendingUntilTheMailAndTheSameIdentityConfirm()
			throws Exception {
		Org acme = organisation("AUTO_ACTIVATE");
		String ceo = "ceo@" + acme.slug() + ".example";
		// an email marked unverified (xms_edov: false) that is someone else's address
		TestEntra.User impostor = acme.directory()
			.addUser(UUID.randomUUID().toString(), ceo, "Not The CEO")
			.claim("xms_edov", false);
		acme.app().assign(impostor);
		TestBrowser.Response page = signIn(acme, impostor, "/");
		assertThat(page.status()).isEqualTo(200);
		assertThat(page.body()).contains("Activate your ioTORQ LEAN account");
		assertThat(status(acme, ceo)).isEqualTo("PENDING_ACTIVATION");
		assertThat(backend.received()).isEmpty();

		// the mail reaches the real owner of the address, whose own sign-in cannot
		// complete it
		Matcher link = LINK.matcher((String) onlyMailTo(acme, ceo).getContent());
		assertThat(link.find()).isTrue();
		TestEntra.User realCeo = acme.directory().addUser(UUID.randomUUID().toString(), ceo, "The CEO");
		acme.app().assign(realCeo);
		TestBrowser ceos = new TestBrowser();
		entra.signInAs(realCeo);
		TestBrowser.Response refused = ceos.followAll(post(ceos, acme, "/account/activate", "token=" + link.group(2)));
		assertThat(refused.status()).isEqualTo(403);
		assertThat(refused.body()).contains("This activation link is for someone else");
		assertThat(status(acme, ceo)).isEqualTo("PENDING_ACTIVATION");
		assertThat(backend.received()).isEmpty();

		// a guest known only by a user name gets no active account at once either
		TestEntra.User guest = acme.directory()
			.addUser(UUID.randomUUID().toString(), null, "A Guest")
			.upn("guest@" + acme.slug() + ".example")
			.claim("acct", 1);
		acme.app().assign(guest);
		this.browser.clearCookies();
		assertThat(signIn(acme, guest, "/").body()).contains("Activate your ioTORQ LEAN account");
		assertThat(status(acme, "guest@" + acme.slug() + ".example")).isEqualTo("PENDING_ACTIVATION");

		// a vouched email still gets in at once
		this.browser.clearCookies();
		TestEntra.User member = stranger(acme, "Grace Hopper");
		assertThat(signIn(acme, member, "/x").location()).isEqualTo("/x");
		assertThat(status(acme, member.email())).isEqualTo("ACTIVE");
	}

	@Test
	void unlinkWhenRevokingTheLinksFailsThenNothingIsWritten() throws Exception {
		Org acme = organisation("PENDING_ACTIVATION");
		TestEntra.User ada = stranger(acme, "Ada Lovelace");
		signIn(acme, ada, "/");
		Matcher link = LINK.matcher((String) onlyMailTo(acme, ada.email()).getContent());
		assertThat(link.find()).isTrue();
		String accountId = account(acme, ada.email()).get("id").toString();

		// the revocation fails after the link was removed and audited, in the same
		// request
		String suffix = accountId.replace("-", "");
		TestSchema.execute("CREATE FUNCTION fail_revoke_" + suffix + "() RETURNS trigger LANGUAGE plpgsql AS "
				+ "$$ BEGIN RAISE EXCEPTION 'revocation failed'; END $$");
		TestSchema.execute("CREATE TRIGGER fail_revoke_" + suffix + " BEFORE UPDATE ON account_activation FOR EACH ROW "
				+ "WHEN (OLD.account_id = '" + accountId + "') EXECUTE FUNCTION fail_revoke_" + suffix + "()");
		try {
			this.admin.delete()
				.uri("/admin/tenants/{slug}/users/{email}/link", acme.slug(), ada.email())
				.exchange()
				.expectStatus()
				.is5xxServerError();
		}
		finally {
			TestSchema.execute("DROP TRIGGER fail_revoke_" + suffix + " ON account_activation");
			TestSchema.execute("DROP FUNCTION fail_revoke_" + suffix + "()");
		}
		assertThat(account(acme, ada.email()).get("linked")).isEqualTo(true);
		assertThat(TestSchema.count(
				"SELECT count(*) FROM audit_event WHERE tenant_slug = ? AND action = 'account.unlinked'", acme.slug()))
			.isZero();
		assertThat(TestSchema
			.count("SELECT count(*) FROM account_activation WHERE used_at IS NULL AND account_id = ?::uuid", accountId))
			.isEqualTo(1);

		// and when nothing fails, both happen
		this.admin.delete()
			.uri("/admin/tenants/{slug}/users/{email}/link", acme.slug(), ada.email())
			.exchange()
			.expectStatus()
			.isOk();
		assertThat(account(acme, ada.email()).get("linked")).isEqualTo(false);
		assertThat(TestSchema.count(
				"SELECT count(*) FROM audit_event WHERE tenant_slug = ? AND action = 'account.unlinked'", acme.slug()))
			.isEqualTo(1);
		assertThat(TestSchema
			.count("SELECT count(*) FROM account_activation WHERE used_at IS NULL AND account_id = ?::uuid", accountId))
			.isZero();
	}

	/** A person of the directory, assigned to the app, without a LEAN account. */
	private TestEntra.User stranger(Org org, String name) {
		String email = name.toLowerCase().replace(' ', '.') + "@" + org.slug() + ".example";
		TestEntra.User user = org.directory().addUser(UUID.randomUUID().toString(), email, name);
		org.app().assign(user);
		return user;
	}

	private TestBrowser.Response post(Org org, String path, String form) {
		return post(this.browser, org, path, form);
	}

	private TestBrowser.Response post(TestBrowser browser, Org org, String path, String form) {
		return browser.post(org.url(path), form, Map.of("Origin", "http://" + org.host() + ":" + this.port));
	}

	private String status(Org org, String email) {
		return account(org, email).get("status").toString();
	}

	private Map<?, ?> account(Org org, String email) {
		return this.admin.get()
			.uri("/admin/tenants/{slug}/users/{email}", org.slug(), email)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(Map.class)
			.returnResult()
			.getResponseBody();
	}

	private MimeMessage onlyMailTo(Org org, String email) throws Exception {
		await().atMost(java.time.Duration.ofSeconds(10)).until(() -> !mailsTo(email).isEmpty());
		var messages = mailsTo(email);
		assertThat(messages).hasSize(1);
		return messages.get(0);
	}

	private static java.util.List<MimeMessage> mailsTo(String email) throws Exception {
		java.util.List<MimeMessage> matching = new java.util.ArrayList<>();
		for (MimeMessage message : mail.getReceivedMessages()) {
			if (message.getAllRecipients()[0].toString().equalsIgnoreCase(email)) {
				matching.add(message);
			}
		}
		return matching;
	}

}
