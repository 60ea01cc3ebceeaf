package com.iotorq.lean.gateway.sso;

import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.iotorq.lean.gateway.test.SignInTestSupport;
import com.iotorq.lean.gateway.test.TestBrowser;
import com.iotorq.lean.gateway.test.TestSchema;
import com.iotorq.lean.gateway.test.entra.TestEntra;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which LEAN account a sign-in lands in: linked identity first, then the email (linked
 * from then on), then the organisation's provisioning policy.
 */
class AccountSignInIntegrationTests extends SignInTestSupport {

	@Test
	void signInWhenNoAccountAndExistingOnlyThenPageAndNoSession() {
		Org acme = organisation("EXISTING_ONLY");
		TestEntra.User stranger = assigned(acme, "stranger@" + acme.slug() + ".example");
		TestBrowser.Response page = signIn(acme, stranger, "/");
		assertThat(page.status()).isEqualTo(403);
		assertThat(page.body()).contains("No ioTORQ LEAN account for you yet", "LEAN administrator");
		assertThat(this.browser.get(acme.url("/")).status()).isEqualTo(302);
		assertThat(TestSchema
			.count("SELECT count(*) FROM account a JOIN tenant t ON t.id = a.tenant_id WHERE t.slug = ?", acme.slug()))
			.isZero();
	}

	@Test
	void signInWhenNoAccountAndAutoActivateThenAccountCreatedLinkedAndSignedIn() {
		Org acme = organisation("AUTO_ACTIVATE");
		TestEntra.User newcomer = assigned(acme, "newcomer@" + acme.slug() + ".example");
		assertThat(signIn(acme, newcomer, "/").location()).isEqualTo("/");
		this.browser.get(acme.url("/"));
		assertThat(backend.last().header("X-Lean-User-Email")).containsExactly(newcomer.email());
		this.admin.get()
			.uri("/admin/tenants/{slug}/users/{email}", acme.slug(), newcomer.email())
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo("ACTIVE")
			.jsonPath("$.linked")
			.isEqualTo(true)
			.jsonPath("$.lastSignInAt")
			.isNotEmpty();
	}

	@Test
	void signInWhenAccountDisabledThenPage() {
		Org acme = organisation();
		TestEntra.User ada = person(acme, "Ada Lovelace");
		account(acme, ada.email(), "DISABLED");
		TestBrowser.Response page = signIn(acme, ada, "/");
		assertThat(page.status()).isEqualTo(403);
		assertThat(page.body()).contains("Your account is disabled");
	}

	@Test
	void signInWhenEmailMatchesCaseInsensitivelyThenLinkedAndLaterFoundByIdentityAlone() {
		Org acme = organisation();
		TestEntra.User ada = assigned(acme, "Ada.Lovelace@" + acme.slug() + ".example");
		account(acme, "ada.lovelace@" + acme.slug() + ".example", "ACTIVE");
		signIn(acme, ada, "/");
		this.browser.get(acme.url("/"));
		String accountId = backend.last().header("X-Lean-User-Id").get(0);

		// her email and UPN change in Entra; oid does not, so she stays the same LEAN
		// user
		ada.email("ada.king@" + acme.slug() + ".example").upn("ada.king@" + acme.slug() + ".example");
		this.browser.clearCookies();
		signIn(acme, ada, "/");
		this.browser.get(acme.url("/"));
		assertThat(backend.last().header("X-Lean-User-Id")).containsExactly(accountId);
	}

	@Test
	void signInWhenEmailBelongsToAnAccountLinkedToSomeoneElseThenRefused() {
		Org acme = organisation();
		TestEntra.User ada = person(acme, "Ada Lovelace");
		signIn(acme, ada, "/");
		// another directory user now carries Ada's address
		TestEntra.User impostor = assigned(acme, ada.email());
		this.browser.clearCookies();
		TestBrowser.Response page = signIn(acme, impostor, "/");
		assertThat(page.status()).isEqualTo(403);
		assertThat(page.body()).contains("No ioTORQ LEAN account for you yet");
	}

	@Test
	void signInWhenNoEmailClaimAndLinkByUsernameThenPreferredUsernameMatches() {
		Org acme = organisation();
		// a user name alone links only when the organisation chose so
		// (AccountLinkIntegrationTests)
		putSso(acme.slug(), java.util.Map.of("provider", "entra", "entraTenantId", acme.directory().tid(), "clientId",
				acme.app().clientId(), "mode", "REQUIRED", "provisioning", "EXISTING_ONLY", "linkByUsername", true))
			.expectStatus()
			.isOk();
		String upn = "grace@" + acme.slug() + ".example";
		// a member (acct = 0): without the acct claim a user name never links
		// (EntraIdentityProviderTests)
		TestEntra.User grace = assigned(acme, upn).email(null).upn(upn).claim("acct", 0);
		account(acme, upn, "ACTIVE");
		assertThat(signIn(acme, grace, "/x").location()).isEqualTo("/x");
	}

	@Test
	void signInWhenLinkedAccountActiveThenSignInRecordedAndMissingNameFilled() {
		Org acme = organisation();
		TestEntra.User ada = person(acme, "Ada Lovelace");
		signIn(acme, ada, "/");
		// linked now; an administrator's tidy-up left neither a name nor a last sign-in
		TestSchema.execute("UPDATE account SET display_name = NULL, last_sign_in_at = NULL WHERE email = ?",
				ada.email());
		this.browser.clearCookies();
		assertThat(signIn(acme, ada, "/x").location()).isEqualTo("/x");
		assertThat(TestSchema.count(
				"SELECT count(*) FROM account WHERE email = ? AND display_name = ?"
						+ " AND last_sign_in_at IS NOT NULL AND idp_object_id = ?",
				ada.email(), "Ada Lovelace", ada.oid()))
			.isOne();
	}

	@Test
	void signInWhenLinkedAccountDisabledThenPageAndSignInNotRecorded() {
		Org acme = organisation();
		TestEntra.User ada = person(acme, "Ada Lovelace");
		signIn(acme, ada, "/");
		account(acme, ada.email(), "DISABLED");
		TestSchema.execute("UPDATE account SET last_sign_in_at = NULL WHERE email = ?", ada.email());
		this.browser.clearCookies();
		TestBrowser.Response page = signIn(acme, ada, "/");
		assertThat(page.status()).isEqualTo(403);
		assertThat(page.body()).contains("Your account is disabled");
		assertThat(TestSchema.count("SELECT count(*) FROM account WHERE email = ? AND last_sign_in_at IS NULL",
				ada.email()))
			.isOne();
	}

	private TestEntra.User assigned(Org org, String email) {
		TestEntra.User user = org.directory().addUser(UUID.randomUUID().toString(), email, "Person " + email);
		org.app().assign(user);
		return user;
	}

}
