package com.iotorq.lean.gateway.onboarding;

import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;

import com.iotorq.lean.gateway.audit.AuditLog;
import com.iotorq.lean.gateway.credentials.CertificateRepository;
import com.iotorq.lean.gateway.mail.OutgoingMail;
import com.iotorq.lean.gateway.tenant.TenantRepository;
import com.iotorq.lean.gateway.test.SignInTestSupport;
import com.iotorq.lean.gateway.test.TestBrowser;
import com.iotorq.lean.gateway.test.TestSchema;
import com.jayway.jsonpath.JsonPath;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An organisation's technical contact, and the renewal reminders mailed to it at 30, 14
 * and 7 days before its SSO credential expires: once per threshold across replicas, each
 * with a fresh setup link that opens the organisation's setup page.
 */
class RenewalReminderIntegrationTests extends SignInTestSupport {

	private static final Pattern SETUP_LINK = Pattern.compile("http://[^\\s]+/oauth/setup/[A-Za-z0-9_-]+");

	@Autowired
	RenewalReminders reminders;

	@Autowired
	SecretExpiryRepository expiries;

	@Autowired
	CertificateRepository certificates;

	@Autowired
	TenantRepository tenants;

	@Autowired
	RenewalReminderRepository repository;

	@Autowired
	SetupLinkIssuer links;

	@Autowired
	OutgoingMail outgoingMail;

	@Autowired
	AuditLog audit;

	@Autowired
	RenewalReminderProperties properties;

	@Autowired
	Clock clock;

	@Test
	void technicalContactWhenSetThenShownKeptWhenOmittedAndClearedWithNull() {
		Org acme = organisation();
		String contact = "it-admin@" + acme.slug() + ".example";
		String body = putTenant(acme.slug(), Map.of("displayName", "Acme", "technicalContactEmail", contact));
		assertThat(JsonPath.<String>read(body, "$.technicalContactEmail")).isEqualTo(contact);
		assertThat(JsonPath.<String>read(getTenant(acme.slug()), "$.technicalContactEmail")).isEqualTo(contact);

		// a client that does not know the field cannot erase it
		putTenant(acme.slug(), Map.of("displayName", "Acme Corporation"));
		assertThat(JsonPath.<String>read(getTenant(acme.slug()), "$.technicalContactEmail")).isEqualTo(contact);

		Map<String, Object> clear = new HashMap<>();
		clear.put("displayName", "Acme Corporation");
		clear.put("technicalContactEmail", null);
		putTenant(acme.slug(), clear);
		assertThat(JsonPath.<Object>read(getTenant(acme.slug()), "$.technicalContactEmail")).isNull();

		assertThat(
				TestSchema.count("SELECT count(*) FROM audit_event WHERE tenant_slug = ? AND action = 'tenant.updated' "
						+ "AND after->>'technicalContactEmail' = ?", acme.slug(), contact))
			.isEqualTo(2);
	}

	@Test
	void technicalContactWhenNotAMailAddressThenProblemNamesTheField() {
		Org acme = organisation();
		for (String invalid : List.of("nobody", "Ada <ada@example.com>", "ada@example.com, bob@example.com",
				"@example.com")) {
			this.admin.put()
				.uri("/admin/tenants/{slug}", acme.slug())
				.contentType(MediaType.APPLICATION_JSON)
				.bodyValue(Map.of("displayName", "Acme", "technicalContactEmail", invalid))
				.exchange()
				.expectStatus()
				.isEqualTo(422)
				.expectHeader()
				.contentType(MediaType.APPLICATION_PROBLEM_JSON)
				.expectBody()
				.jsonPath("$.errors[0].field")
				.isEqualTo("technicalContactEmail");
		}
	}

	@Test
	void reminderWhenThresholdReachedThenContactMailedOnceAcrossReplicasWithAWorkingSetupLink() throws Exception {
		Org acme = organisation();
		String contact = "entra-admin@" + acme.slug() + ".example";
		putTenant(acme.slug(), Map.of("displayName", "Acme", "technicalContactEmail", contact));
		expireIn(acme, 20);
		// a second replica: its own reminders, the same database and mail server
		RenewalReminders otherReplica = new RenewalReminders(this.expiries, this.certificates, this.tenants,
				this.repository, this.links, this.outgoingMail, this.audit, this.properties, this.clock);

		this.reminders.check().block();
		otherReplica.check().block();
		this.reminders.check().block();

		List<MimeMessage> mails = mailsTo(contact);
		assertThat(mails).hasSize(1);
		String text = mails.get(0).getContent().toString();
		assertThat(mails.get(0).getSubject()).contains("expires in 20 days");
		assertThat(text).contains("expires on " + today().plusDays(20)).doesNotContain(acme.clientSecret());
		String link = setupLink(text);
		assertThat(link).startsWith("http://" + acme.slug() + ".");

		// the link opens the organisation's setup page: the token is exchanged for a
		// setup session
		TestBrowser.Response opened = this.browser.get(acme.url(link.substring(link.indexOf("/oauth/setup/"))));
		assertThat(opened.status()).isEqualTo(302);
		assertThat(opened.header("Location")).endsWith("/oauth/setup");

		assertThat(TestSchema.count(
				"SELECT count(*) FROM audit_event WHERE tenant_slug = ? AND action = ? "
						+ "AND actor = 'renewal reminder' AND after->>'mailedTo' = ?",
				acme.slug(), "sso.renewal_reminder_mailed", contact))
			.isEqualTo(1);
		String listed = this.admin.get()
			.uri("/admin/tenants/{slug}/sso/setup-links", acme.slug())
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		assertThat(listed).doesNotContain(link.substring(link.lastIndexOf('/') + 1));
	}

	@Test
	void reminderWhenCredentialGetsCloserThenEachThresholdMailedOnceAndANewCredentialStartsOver() throws Exception {
		Org acme = organisation();
		String contact = "entra-admin@" + acme.slug() + ".example";
		putTenant(acme.slug(), Map.of("displayName", "Acme", "technicalContactEmail", contact));
		expireIn(acme, 45);
		this.reminders.check().block();
		assertThat(mailsTo(contact)).isEmpty();

		expireIn(acme, 30);
		this.reminders.check().block();
		this.reminders.check().block();
		assertThat(subjects(contact)).singleElement().asString().contains("expires in 30 days");

		// a check missed the 14-day threshold: only the tightest reached is mailed
		TestSchema.execute("UPDATE sso_settings s SET client_secret_expires_at = client_secret_expires_at - 24 "
				+ "FROM tenant t WHERE t.id = s.tenant_id AND t.slug = ?", acme.slug());
		this.reminders.check().block();
		this.reminders.check().block();
		assertThat(subjects(contact)).hasSize(2).last().asString().contains("expires in 6 days");
	}

	@Test
	void reminderWhenOrganisationSignsInWithACertificateThenItsActiveCertificateCountsNotItsOldSecret()
			throws Exception {
		Org acme = organisation();
		String contact = "entra-admin@" + acme.slug() + ".example";
		putTenant(acme.slug(), Map.of("displayName", "Acme", "technicalContactEmail", contact));
		String certificate = JsonPath.read(this.admin.post()
			.uri("/admin/tenants/{slug}/sso/certificates", acme.slug())
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of())
			.exchange()
			.expectStatus()
			.isCreated()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody(), "$.id");
		acme.app()
			.uploadCertificate(this.admin.get()
				.uri("/admin/tenants/{slug}/sso/certificates/{id}/certificate.cer", acme.slug(), certificate)
				.exchange()
				.expectBody(byte[].class)
				.returnResult()
				.getResponseBody());
		// switching to the certificate verifies it, which makes it ACTIVE
		putSso(acme.slug(),
				Map.of("provider", "entra", "entraTenantId", acme.directory().tid(), "clientId", acme.app().clientId(),
						"credentialType", "certificate", "mode", "REQUIRED", "provisioning", "EXISTING_ONLY"))
			.expectStatus()
			.isOk();
		assertThat(TestSchema.count("SELECT count(*) FROM sso_certificate WHERE id = ?::uuid AND status = 'ACTIVE'",
				certificate))
			.isEqualTo(1);
		// the secret it no longer uses expires sooner: no reminder for that one
		expireIn(acme, 5);
		TestSchema.execute("UPDATE sso_certificate SET not_after = now() + interval '13 days' WHERE id = ?::uuid",
				certificate);

		this.reminders.check().block();

		assertThat(subjects(contact)).singleElement().asString().contains("expires in 13 days");
		assertThat(mailsTo(contact).get(0).getContent().toString()).contains("The certificate that LEAN uses");
		assertThat(TestSchema.count("SELECT count(*) FROM audit_event WHERE tenant_slug = ? AND action = ? "
				+ "AND after->>'credential' = 'certificate'", acme.slug(), "sso.renewal_reminder_mailed"))
			.isEqualTo(1);
	}

	@Test
	void reminderWhenNoContactThenNothingMailedAndNothingClaimed() throws Exception {
		Org acme = organisation();
		expireIn(acme, 7);
		this.reminders.check().block();
		assertThat(TestSchema.count(
				"SELECT count(*) FROM sso_renewal_reminder r JOIN tenant t ON t.id = r.tenant_id " + "WHERE t.slug = ?",
				acme.slug()))
			.isZero();
		assertThat(TestSchema.count("SELECT count(*) FROM audit_event WHERE tenant_slug = ? AND action = ?",
				acme.slug(), "sso.renewal_reminder_mailed"))
			.isZero();
		for (MimeMessage message : mail.getReceivedMessages()) {
			assertThat(message.getSubject()).doesNotContain(acme.slug());
		}
	}

	private String putTenant(String slug, Map<String, ?> body) {
		return this.admin.put()
			.uri("/admin/tenants/{slug}", slug)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(body)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
	}

	private String getTenant(String slug) {
		return this.admin.get()
			.uri("/admin/tenants/{slug}", slug)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
	}

	private void expireIn(Org org, int days) {
		TestSchema.execute("UPDATE sso_settings s SET client_secret_expires_at = ? FROM tenant t "
				+ "WHERE t.id = s.tenant_id AND t.slug = ?", today().plusDays(days), org.slug());
	}

	private LocalDate today() {
		return LocalDate.now(this.clock);
	}

	private static String setupLink(String text) {
		Matcher matcher = SETUP_LINK.matcher(text);
		assertThat(matcher.find()).as("a setup link in: %s", text).isTrue();
		return matcher.group();
	}

	private static List<String> subjects(String email) throws Exception {
		List<String> subjects = new ArrayList<>();
		for (MimeMessage message : mailsTo(email)) {
			subjects.add(message.getSubject());
		}
		return subjects;
	}

	private static List<MimeMessage> mailsTo(String email) throws Exception {
		List<MimeMessage> matching = new ArrayList<>();
		for (MimeMessage message : mail.getReceivedMessages()) {
			if (message.getAllRecipients()[0].toString().equalsIgnoreCase(email)) {
				matching.add(message);
			}
		}
		return matching;
	}

}
