package com.iotorq.lean.gateway.tryout;

import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import com.iotorq.lean.gateway.test.entra.TestEntra;

/**
 * The try-out's two organisations, each with its own Entra directory and app
 * registration, and people chosen so that each shows one outcome of signing in. Ids are
 * fixed so that the printed instructions and the tests can name them; client secrets are
 * new on every run.
 */
final class DemoOrganisations {

	static final Person ADA = new Person("c7747f2e-f6f1-4f2e-bea8-0bc2c820217e", "Ada Lovelace",
			"ada.lovelace@acme.example", true, "ACTIVE", "signs in: the backend shows her identity");

	static final Person GRACE = new Person("72f66445-6ae2-4e5d-9ab4-62b5ef08e515", "Grace Hopper",
			"grace.hopper@acme.example", false, "ACTIVE", "not assigned to the app in Entra: AADSTS50105 page");

	static final Person ALAN = new Person("d998be43-366c-489d-9b55-46d6527e0347", "Alan Turing",
			"alan.turing@acme.example", true, null, "no LEAN account (acme admits existing accounts only)");

	static final Person ZOE = new Person("3674ba37-de39-4b69-ba8a-fd5473c56892", "Zoë Ångström",
			"zoe.angstrom@globex.example", true, "ACTIVE", "signs in; her name travels as UTF-8'' (RFC 8187)");

	static final Person HANK = new Person("ebac3c26-16ed-40af-9531-34bd6dc2c022", "Hank Scorpio",
			"hank.scorpio@globex.example", true, "DISABLED", "account disabled: \"Your account is disabled\" page");

	static final Person MONA = new Person("0b211c03-bdee-4b4f-9117-d148adb7f5d8", "Mona Chen",
			"mona.chen@globex.example", true, null, "no account yet: globex creates one at first sign-in");

	static final Organisation ACME = new Organisation("acme", "Acme Corporation",
			"c7dd605d-2ef4-46b5-979a-16cb739dc3a6", "Acme Corporation (Entra)", "6c7f257e-bb87-443d-870a-8087abe07c4f",
			"EXISTING_ONLY", true, List.of(ADA, GRACE, ALAN), false);

	static final Organisation GLOBEX = new Organisation("globex", "Globex Corporation",
			"288c6895-fa38-47e2-838c-3bd3e3004ca5", "Globex (Entra)", "3780b9c3-fa2b-41fb-bcb0-c9e99a62d3a9",
			"AUTO_ACTIVATE", false, List.of(ZOE, HANK, MONA), true);

	static final List<Organisation> ALL = List.of(ACME, GLOBEX);

	static final Person IVY = new Person("5b0f3c9e-8a41-4c52-9d7e-2f6a1b3c4d5e", "Ivy Ito", "ivy.ito@initech.example",
			true, null, "Initech's Entra administrator: tests the draft registration on the setup page");

	static final Person PETER = new Person("9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b", "Peter Gibbons",
			"peter.gibbons@initech.example", true, "ACTIVE", "signs in once SSO is activated");

	/**
	 * The third organisation: registered without SSO, with an Entra directory but no app
	 * registration yet. Its Entra administrator sets SSO up through the setup link the
	 * try-out prints.
	 */
	static final SetupOrganisation INITECH = new SetupOrganisation("initech", "Initech",
			"0c5e7a31-6b2d-4f8e-a1c9-3d4b5e6f7a8b", "Initech (Entra)", List.of(IVY, PETER));

	private DemoOrganisations() {
	}

	/**
	 * Creates each organisation's directory, app registration and people in the Entra
	 * imitation, then registers the organisation, its SSO settings and its accounts
	 * through the admin API.
	 * @param publicPort the gateway's public port, part of the registered redirect URI
	 */
	static void setUp(TestEntra entra, AdminClient admin, int publicPort) {
		for (Organisation org : ALL) {
			String secret = "tryout~" + UUID.randomUUID().toString().replace("-", "");
			TestEntra.Directory directory = entra.directory(org.tid()).name(org.directoryName());
			TestEntra.App app = directory
				.registerApp(org.clientId(), secret,
						"http://" + org.slug() + ".localhost:" + publicPort + "/oauth/complete/")
				.requireAssignment(org.requireAssignment());
			for (Person person : org.people()) {
				TestEntra.User user = directory.addUser(person.oid(), person.email(), person.name());
				if (person.assigned()) {
					app.assign(user);
				}
			}
			admin.putTenant(org.slug(), Map.of("displayName", org.displayName()));
			Map<String, Object> sso = new LinkedHashMap<>();
			sso.put("provider", "entra");
			sso.put("entraTenantId", org.tid());
			sso.put("clientId", org.clientId());
			sso.put("clientSecret", secret);
			sso.put("clientSecretExpiresAt", LocalDate.now().plusDays(730).toString());
			sso.put("mode", "REQUIRED");
			sso.put("provisioning", org.provisioning());
			if (org.certificate()) {
				// as support and the customer would: generate, download the .cer, upload
				// it to the app registration;
				// saving the settings verifies the certificate, which makes it ACTIVE
				String id = AdminClient
					.field(admin.post("/admin/tenants/" + org.slug() + "/sso/certificates", Map.of()), "id");
				app.uploadCertificate(admin
					.getBytes("/admin/tenants/" + org.slug() + "/sso/certificates/" + id + "/certificate.cer"));
				sso.put("credentialType", "certificate");
			}
			admin.putSso(org.slug(), sso);
			for (Person person : org.people()) {
				if (person.account() != null) {
					admin.putAccount(org.slug(), person.email(),
							Map.of("displayName", person.name(), "status", person.account()));
				}
			}
		}
	}

	/**
	 * Registers Initech without SSO and its directory's people in the Entra imitation,
	 * with a LEAN account for those who have one, and returns a setup link for it.
	 */
	static String setUpInitech(TestEntra entra, AdminClient admin) {
		TestEntra.Directory directory = entra.directory(INITECH.tid()).name(INITECH.directoryName());
		for (Person person : INITECH.people()) {
			directory.addUser(person.oid(), person.email(), person.name());
		}
		admin.putTenant(INITECH.slug(), Map.of("displayName", INITECH.displayName()));
		for (Person person : INITECH.people()) {
			if (person.account() != null) {
				admin.putAccount(INITECH.slug(), person.email(),
						Map.of("displayName", person.name(), "status", person.account()));
			}
		}
		return admin.createSetupLink(INITECH.slug(), Map.of("expiresInHours", 168));
	}

	/**
	 * An organisation without SSO, to be set up through a setup link.
	 *
	 * @param slug its subdomain
	 * @param displayName its name
	 * @param tid its Entra directory (tenant) id
	 * @param directoryName the directory's name
	 * @param people its directory's users
	 */
	record SetupOrganisation(String slug, String displayName, String tid, String directoryName, List<Person> people) {
	}

	/**
	 * A person in an organisation's directory.
	 *
	 * @param oid the Entra object id
	 * @param name display name
	 * @param email email and UPN
	 * @param assigned whether assigned to the organisation's app
	 * @param account the LEAN account's status, or {@code null} for none
	 * @param outcome what signing in as this person shows
	 */
	record Person(String oid, String name, String email, boolean assigned, @Nullable String account, String outcome) {
	}

	/**
	 * An organisation.
	 *
	 * @param slug its subdomain
	 * @param displayName its name
	 * @param tid its Entra directory (tenant) id
	 * @param directoryName the directory's name
	 * @param clientId its app registration's client id
	 * @param provisioning what a first sign-in without an account does
	 * @param requireAssignment "Assignment required?" of its enterprise application
	 * @param people its directory's users
	 * @param certificate whether it signs in with a certificate credential
	 * ({@code private_key_jwt}) rather than its client secret
	 */
	record Organisation(String slug, String displayName, String tid, String directoryName, String clientId,
			String provisioning, boolean requireAssignment, List<Person> people, boolean certificate) {
	}

}
