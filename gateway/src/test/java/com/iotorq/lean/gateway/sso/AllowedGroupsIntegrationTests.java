package com.iotorq.lean.gateway.sso;

import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.iotorq.lean.gateway.test.SignInTestSupport;
import com.iotorq.lean.gateway.test.TestBrowser;
import com.iotorq.lean.gateway.test.entra.TestEntra;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The organisation's group allow-list, enforced at the gateway from the ID token's
 * {@code groups} claim, failing closed when the token cannot say (group overage).
 */
class AllowedGroupsIntegrationTests extends SignInTestSupport {

	private static final String ENGINEERS = UUID.randomUUID().toString();

	private static final String AUDITORS = UUID.randomUUID().toString();

	@Test
	void signInWhenInAnAllowedGroupThenSignedIn() {
		Org acme = restricted(List.of(ENGINEERS, AUDITORS));
		TestEntra.User ada = person(acme, "Ada Lovelace");
		entra.tamperNextIdToken(
				claims -> claims.claim("groups", List.of(UUID.randomUUID().toString(), AUDITORS.toUpperCase()))
					.build());
		TestBrowser.Response done = signIn(acme, ada, "/a");
		assertThat(done.status()).isEqualTo(302);
		assertThat(done.location()).isEqualTo("/a");
	}

	@Test
	void signInWhenInNoAllowedGroupThenPageSaysNotInAllowedGroup() {
		Org acme = restricted(List.of(ENGINEERS));
		TestEntra.User ada = person(acme, "Ada Lovelace");
		entra.tamperNextIdToken(claims -> claims.claim("groups", List.of(AUDITORS)).build());
		TestBrowser.Response page = signIn(acme, ada, "/");
		assertThat(page.status()).isEqualTo(403);
		assertThat(page.header("X-Lean-Error")).isEqualTo("not-in-allowed-group");
		assertThat(page.body()).contains("You are not in a group allowed to use ioTORQ LEAN");
		assertThat(this.browser.get(acme.url("/a")).status()).isEqualTo(302);
		assertThat(backend.received()).isEmpty();
	}

	@Test
	void signInWhenGroupOverageThenFailsClosedExplainingTheGroupsClaim() {
		Org acme = restricted(List.of(ENGINEERS));
		TestEntra.User ada = person(acme, "Ada Lovelace");
		entra.tamperNextIdToken(
				claims -> claims.claim("_claim_names", Map.of("groups", "src1"))
					.claim("_claim_sources", Map.of("src1",
							Map.of("endpoint",
									"https://graph.microsoft.com/v1.0/users/" + ada.oid() + "/getMemberObjects")))
					.build());
		TestBrowser.Response page = signIn(acme, ada, "/");
		assertThat(page.status()).isEqualTo(403);
		assertThat(page.header("X-Lean-Error")).isEqualTo("group-membership-unknown");
		assertThat(page.body()).contains("Your group memberships could not be checked")
			.contains("Token configuration")
			.contains("Groups assigned to the application");
	}

	@Test
	void signInWhenTokenHasNoGroupsClaimThenRefused() {
		Org acme = restricted(List.of(ENGINEERS));
		TestEntra.User ada = person(acme, "Ada Lovelace");
		TestBrowser.Response page = signIn(acme, ada, "/");
		assertThat(page.status()).isEqualTo(403);
		assertThat(page.header("X-Lean-Error")).isEqualTo("group-membership-unknown");
		assertThat(page.body()).contains("groups claim");
	}

	@Test
	void signInWhenNoAllowListThenGroupsDoNotMatter() {
		Org acme = organisation();
		TestEntra.User ada = person(acme, "Ada Lovelace");
		assertThat(signIn(acme, ada, "/").status()).isEqualTo(302);
	}

	@Test
	void signInWhenNotAssignedThenAssignmentPageStillShown() {
		Org acme = restricted(List.of(ENGINEERS));
		acme.app().requireAssignment(true);
		TestEntra.User bob = acme.directory()
			.addUser(UUID.randomUUID().toString(), "bob@" + acme.slug() + ".example", "Bob");
		TestBrowser.Response page = signIn(acme, bob, "/");
		assertThat(page.status()).isEqualTo(403);
		assertThat(page.body()).contains("AADSTS50105").contains("You are not assigned to ioTORQ LEAN");
	}

	@Test
	void putWhenAllowedGroupsInvalidThenEveryProblemListed() {
		Org acme = organisation();
		Map<String, Object> body = sso(acme, List.of("not-a-guid", ENGINEERS));
		putSso(acme.slug(), body).expectStatus()
			.isEqualTo(422)
			.expectBody()
			.jsonPath("$.errors[0].field")
			.isEqualTo("allowedGroups[0]");
		body.put("allowedGroups", "everyone");
		putSso(acme.slug(), body).expectStatus().isEqualTo(422);
		body.put("allowedGroups", List.of(ENGINEERS, ENGINEERS));
		putSso(acme.slug(), body).expectStatus().isEqualTo(422);
	}

	@Test
	void putWhenAllowedGroupsOmittedThenKeptAndEmptyListLiftsThem() {
		Org acme = restricted(List.of(ENGINEERS));
		Map<String, Object> body = sso(acme, null);
		body.remove("allowedGroups");
		putSso(acme.slug(), body).expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.sso.allowedGroups[0]")
			.isEqualTo(ENGINEERS);
		body.put("allowedGroups", List.of());
		putSso(acme.slug(), body).expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.sso.allowedGroups.length()")
			.isEqualTo(0);
	}

	private Org restricted(List<String> groups) {
		Org org = organisation();
		putSso(org.slug(), sso(org, groups)).expectStatus().isOk();
		entra.clearRequests();
		return org;
	}

	private static Map<String, Object> sso(Org org, List<String> groups) {
		Map<String, Object> body = new HashMap<>();
		body.put("provider", "entra");
		body.put("entraTenantId", org.directory().tid());
		body.put("clientId", org.app().clientId());
		body.put("clientSecretExpiresAt", LocalDate.now().plusDays(700).toString());
		body.put("mode", "REQUIRED");
		body.put("provisioning", "EXISTING_ONLY");
		body.put("allowedGroups", groups);
		return body;
	}

}
