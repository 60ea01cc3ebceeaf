package com.iotorq.lean.gateway.sso;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import com.iotorq.lean.gateway.test.SignInTestSupport;
import com.iotorq.lean.gateway.test.TestBrowser;
import com.iotorq.lean.gateway.test.TestSchema;
import com.iotorq.lean.gateway.test.entra.TestEntra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;

/**
 * An Entra identity links to an existing LEAN account by email only when the directory
 * vouches for that email, and administrators can bind and unbind accounts without SQL.
 * The attacker in these tests is a directory administrator who can set any user's UPN, or
 * invite a guest.
 */
class AccountLinkIntegrationTests extends SignInTestSupport {

	@Test
	void usernameAloneWhenItIsAnExistingAccountsEmailThenNotLinked() {
		Org acme = organisation("EXISTING_ONLY");
		String ceo = "ceo@" + acme.slug() + ".example";
		account(acme, ceo, "ACTIVE");
		// no email claim (no mailbox, or an unverified domain); the UPN is set to the
		// CEO's address
		TestEntra.User impostor = user(acme, null, ceo);
		TestBrowser.Response page = signIn(acme, impostor, "/");
		assertThat(page.status()).isEqualTo(403);
		assertThat(page.body()).contains("No ioTORQ LEAN account for you yet");
		assertLinked(acme, ceo, false);
	}

	@Test
	void usernameAloneWhenAutoActivateAndTheEmailIsTakenThenRefusedAndNoSecondAccount() {
		Org acme = organisation("AUTO_ACTIVATE");
		String ceo = "ceo@" + acme.slug() + ".example";
		account(acme, ceo, "ACTIVE");
		TestBrowser.Response page = signIn(acme, user(acme, null, ceo), "/");
		assertThat(page.status()).isEqualTo(403);
		assertLinked(acme, ceo, false);
		assertThat(accounts(acme)).isEqualTo(1);
	}

	@Test
	void guestUsernameWhenLinkByUsernameThenStillNotLinked() {
		Org acme = organisation("EXISTING_ONLY");
		linkByUsername(acme, true);
		String ceo = "ceo@" + acme.slug() + ".example";
		account(acme, ceo, "ACTIVE");
		TestEntra.User guest = user(acme, null, ceo).claim("acct", 1);
		assertThat(signIn(acme, guest, "/").status()).isEqualTo(403);
		assertLinked(acme, ceo, false);
	}

	@Test
	void usernameWhenLinkByUsernameButTheDirectorySendsNoAcctThenNotLinked() {
		// the acct optional claim is not configured: a guest and a member look the same,
		// so neither links
		Org acme = organisation("EXISTING_ONLY");
		linkByUsername(acme, true);
		String ceo = "ceo@" + acme.slug() + ".example";
		account(acme, ceo, "ACTIVE");
		assertThat(signIn(acme, user(acme, null, ceo), "/").status()).isEqualTo(403);
		assertLinked(acme, ceo, false);
		// acct sent as a string is read
		this.browser.clearCookies();
		assertThat(signIn(acme, user(acme, null, ceo).claim("acct", "1"), "/").status()).isEqualTo(403);
		assertLinked(acme, ceo, false);
	}

	@Test
	void emailClaimWhenXmsEdovIsFalseInAnotherSpellingOrUnreadableThenNotLinked() {
		Org acme = organisation("EXISTING_ONLY");
		for (Object unverified : new Object[] { "False", 0, "no" }) {
			String bob = "bob" + unverified.hashCode() + "@" + acme.slug() + ".example";
			account(acme, bob, "ACTIVE");
			this.browser.clearCookies();
			assertThat(signIn(acme, user(acme, bob, bob).claim("xms_edov", unverified), "/").status())
				.as("xms_edov = %s", unverified)
				.isEqualTo(403);
			assertLinked(acme, bob, false);
		}
	}

	@Test
	void memberUsernameWhenLinkByUsernameThenLinked() {
		Org acme = organisation("EXISTING_ONLY");
		String grace = "grace@" + acme.slug() + ".example";
		account(acme, grace, "ACTIVE");
		TestEntra.User member = user(acme, null, grace).claim("acct", 0);
		assertThat(signIn(acme, member, "/x").status()).isEqualTo(403);
		assertLinked(acme, grace, false);

		linkByUsername(acme, true);
		this.browser.clearCookies();
		assertThat(signIn(acme, member, "/x").location()).isEqualTo("/x");
		assertLinked(acme, grace, true);
	}

	@Test
	void emailClaimWhenDomainOwnerVerifiedThenLinkedAndWhenMarkedUnverifiedThenNot() {
		Org acme = organisation("EXISTING_ONLY");
		String ada = "ada@" + acme.slug() + ".example";
		account(acme, ada, "ACTIVE");
		assertThat(signIn(acme, user(acme, ada, "ada.upn@" + acme.slug() + ".example").claim("xms_edov", true), "/")
			.location()).isEqualTo("/");
		assertLinked(acme, ada, true);

		// an app that lets Entra send unverified emails gets xms_edov=false with them
		String bob = "bob@" + acme.slug() + ".example";
		account(acme, bob, "ACTIVE");
		this.browser.clearCookies();
		assertThat(signIn(acme, user(acme, bob, "bob.upn@" + acme.slug() + ".example").claim("xms_edov", false), "/")
			.status()).isEqualTo(403);
		assertLinked(acme, bob, false);
	}

	@Test
	void emailWhenComposedDecomposedOrUpperCaseThenTheSameAccount() {
		Org acme = organisation("AUTO_ACTIVATE");
		String domain = "@" + acme.slug() + ".example";
		// Ä as one code point, upper case, and the domain in capitals
		String composedUpper = "\u00c4NNE" + domain.toUpperCase(java.util.Locale.ROOT);
		// A followed by a combining diaeresis, lower case
		String decomposedLower = "a\u0308nne" + domain;
		String id = this.admin.put()
			.uri("/admin/tenants/{slug}/users/{email}", acme.slug(), composedUpper)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("status", "ACTIVE"))
			.exchange()
			.expectStatus()
			.isCreated()
			.expectBody(Map.class)
			.returnResult()
			.getResponseBody()
			.get("id")
			.toString();
		this.admin.put()
			.uri("/admin/tenants/{slug}/users/{email}", acme.slug(), decomposedLower)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("status", "ACTIVE", "displayName", "Änne"))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.id")
			.isEqualTo(id);
		this.admin.get()
			.uri("/admin/tenants/{slug}/users/{email}", acme.slug(), "\u00e4nne" + domain)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.id")
			.isEqualTo(id);

		TestEntra.User anne = user(acme, "A\u0308NNE" + domain, "a\u0308nne" + domain);
		assertThat(signIn(acme, anne, "/").location()).isEqualTo("/");
		this.browser.get(acme.url("/"));
		assertThat(backend.last().header("X-Lean-User-Id")).containsExactly(id);
		assertThat(accounts(acme)).isEqualTo(1);
	}

	@Test
	void entraObjectIdWhenBoundInAdvanceThenSignInLinksWhateverTheEmail() {
		Org acme = organisation("EXISTING_ONLY");
		String printer = "printer.room@" + acme.slug() + ".example";
		TestEntra.User device = user(acme, "someone.else@" + acme.slug() + ".example",
				"device@" + acme.slug() + ".example");
		putAccount(acme, printer, Map.of("status", "ACTIVE", "entraObjectId", device.oid().toUpperCase()))
			.expectStatus()
			.isCreated()
			.expectBody()
			.jsonPath("$.linked")
			.isEqualTo(true)
			.jsonPath("$.entraObjectId")
			.isEqualTo(device.oid());
		assertThat(TestSchema
			.count("SELECT count(*) FROM audit_event WHERE tenant_slug = ? AND action = 'account.created' "
					+ "AND after->>'entraObjectId' = ?", acme.slug(), device.oid()))
			.isEqualTo(1);

		assertThat(signIn(acme, device, "/").location()).isEqualTo("/");
		this.browser.get(acme.url("/"));
		assertThat(backend.last().header("X-Lean-User-Email")).containsExactly(printer);
	}

	@Test
	void entraObjectIdWhenNotAGuidOrBoundElsewhereThenProblem() {
		Org acme = organisation("EXISTING_ONLY");
		String a = "a@" + acme.slug() + ".example";
		String b = "b@" + acme.slug() + ".example";
		putAccount(acme, a, Map.of("status", "ACTIVE", "entraObjectId", "not-a-guid")).expectStatus()
			.isEqualTo(422)
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.errors[*].field")
			.value(hasItem("entraObjectId"));
		String oid = UUID.randomUUID().toString();
		putAccount(acme, a, Map.of("status", "ACTIVE", "entraObjectId", oid)).expectStatus().isCreated();
		putAccount(acme, b, Map.of("status", "ACTIVE", "entraObjectId", oid)).expectStatus()
			.isEqualTo(409)
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.detail")
			.value(containsString("already bound to another account"));
		assertThat(accounts(acme)).isEqualTo(1);
		// re-binding a bound account needs the link removed first
		putAccount(acme, a, Map.of("status", "ACTIVE", "entraObjectId", UUID.randomUUID().toString())).expectStatus()
			.isEqualTo(409)
			.expectBody()
			.jsonPath("$.detail")
			.value(containsString("/link"));
		// the same binding again changes nothing
		putAccount(acme, a, Map.of("status", "ACTIVE", "entraObjectId", oid)).expectStatus().isOk();
	}

	@Test
	void linkWhenDeletedThenARecreatedDirectoryUserLinksAgain() {
		Org acme = organisation("EXISTING_ONLY");
		TestEntra.User ada = person(acme, "Ada Lovelace");
		signIn(acme, ada, "/");
		this.browser.get(acme.url("/"));
		String accountId = backend.last().header("X-Lean-User-Id").get(0);

		// Entra user deleted and created again: same address, new oid
		TestEntra.User recreated = user(acme, ada.email(), ada.email());
		this.browser.clearCookies();
		assertThat(signIn(acme, recreated, "/").status()).isEqualTo(403);

		this.admin.delete()
			.uri("/admin/tenants/{slug}/users/{email}/link", acme.slug(), ada.email())
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.linked")
			.isEqualTo(false);
		assertThat(TestSchema.count(
				"SELECT count(*) FROM audit_event WHERE tenant_slug = ? AND action = 'account.unlinked' "
						+ "AND before->>'entraObjectId' = ? AND after->>'entraObjectId' IS NULL",
				acme.slug(), ada.oid()))
			.isEqualTo(1);

		this.browser.clearCookies();
		assertThat(signIn(acme, recreated, "/").location()).isEqualTo("/");
		this.browser.get(acme.url("/"));
		assertThat(backend.last().header("X-Lean-User-Id")).containsExactly(accountId);
		// the old identity no longer gets in
		this.browser.clearCookies();
		assertThat(signIn(acme, ada, "/").status()).isEqualTo(403);

		this.admin.delete()
			.uri("/admin/tenants/{slug}/users/{email}/link", acme.slug(), "nobody@" + acme.slug() + ".example")
			.exchange()
			.expectStatus()
			.isNotFound();
	}

	private TestEntra.User user(Org org, String email, String upn) {
		TestEntra.User user = org.directory().addUser(UUID.randomUUID().toString(), email, "Person " + upn).upn(upn);
		org.app().assign(user);
		return user;
	}

	private void linkByUsername(Org org, boolean enabled) {
		Map<String, Object> body = new HashMap<>(Map.of("provider", "entra", "entraTenantId", org.directory().tid(),
				"clientId", org.app().clientId(), "mode", "REQUIRED", "provisioning", "EXISTING_ONLY"));
		body.put("linkByUsername", enabled);
		putSso(org.slug(), body).expectStatus().isOk().expectBody().jsonPath("$.sso.linkByUsername").isEqualTo(enabled);
	}

	private WebTestClient.ResponseSpec putAccount(Org org, String email, Map<String, ?> body) {
		return this.admin.put()
			.uri("/admin/tenants/{slug}/users/{email}", org.slug(), email)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(body)
			.exchange();
	}

	private void assertLinked(Org org, String email, boolean linked) {
		this.admin.get()
			.uri("/admin/tenants/{slug}/users/{email}", org.slug(), email)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.linked")
			.isEqualTo(linked);
	}

	private static long accounts(Org org) {
		return TestSchema.count("SELECT count(*) FROM account a JOIN tenant t ON t.id = a.tenant_id WHERE t.slug = ?",
				org.slug());
	}

}
