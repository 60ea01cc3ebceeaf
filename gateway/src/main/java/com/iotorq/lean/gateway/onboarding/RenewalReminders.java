package com.iotorq.lean.gateway.onboarding;

import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import com.iotorq.lean.gateway.audit.AuditLog;
import com.iotorq.lean.gateway.mail.OutgoingMail;
import com.iotorq.lean.gateway.credentials.CertificateRepository;
import com.iotorq.lean.gateway.credentials.SigningCertificate;
import com.iotorq.lean.gateway.onboarding.SetupLinkIssuer.IssuedSetupLink;
import com.iotorq.lean.gateway.tenant.SsoSettings.CredentialType;
import com.iotorq.lean.gateway.tenant.Tenant;
import com.iotorq.lean.gateway.tenant.TenantRepository;

/**
 * Mails an organisation's technical contact a fresh setup link when the SSO credential it
 * signs in with (its client secret, or its ACTIVE certificate) has 30, 14 and 7 days
 * left, so that its own Entra administrator renews the credential on the setup page
 * before anyone is locked out. Each threshold of each credential is mailed once across
 * all replicas (the replica whose claim in {@code sso_renewal_reminder} succeeds mails);
 * a credential first seen with, say, 10 days left gets the 14-day reminder only. A mail
 * that fails is retried at the next check. Without a technical contact or an SMTP server
 * nothing is mailed, and the expiry warnings in the log ({@link SecretExpiryMonitor})
 * remain support's cue.
 */
public final class RenewalReminders {

	/** Who issues the links and mails, in the audit log. */
	static final String ACTOR = "renewal reminder";

	private static final Logger logger = LoggerFactory.getLogger(RenewalReminders.class);

	private final SecretExpiryRepository expiries;

	private final CertificateRepository certificates;

	private final TenantRepository tenants;

	private final RenewalReminderRepository reminders;

	private final SetupLinkIssuer links;

	private final OutgoingMail mail;

	private final AuditLog audit;

	private final RenewalReminderProperties properties;

	private final List<Integer> thresholds;

	private final Clock clock;

	public RenewalReminders(SecretExpiryRepository expiries, CertificateRepository certificates,
			TenantRepository tenants, RenewalReminderRepository reminders, SetupLinkIssuer links, OutgoingMail mail,
			AuditLog audit, RenewalReminderProperties properties, Clock clock) {
		this.expiries = expiries;
		this.certificates = certificates;
		this.tenants = tenants;
		this.reminders = reminders;
		this.links = links;
		this.mail = mail;
		this.audit = audit;
		this.properties = properties;
		this.thresholds = properties.days().stream().sorted().distinct().toList();
		this.clock = clock;
	}

	/** One check: mails the reminders that are due and that this replica claimed. */
	public Mono<Void> check() {
		if (!this.mail.configured() || this.thresholds.isEmpty()) {
			return Mono.empty();
		}
		LocalDate today = LocalDate.now(this.clock);
		LocalDate until = today.plusDays(this.thresholds.get(this.thresholds.size() - 1));
		Flux<Credential> secrets = this.expiries.expiringBy(until)
			.map(secret -> new Credential(CredentialType.CLIENT_SECRET, secret.tenantId(), secret.slug(),
					secret.expiresAt()));
		Flux<Credential> certificates = this.certificates.unretired()
			.filter(certificate -> certificate.status() == SigningCertificate.Status.ACTIVE)
			.map(certificate -> new Credential(CredentialType.CERTIFICATE, certificate.tenantId(), certificate.slug(),
					LocalDate.ofInstant(certificate.notAfter(), ZoneOffset.UTC)))
			.filter(certificate -> !certificate.expiresAt().isAfter(until));
		return Flux.concat(secrets, certificates)
			.filter(credential -> !credential.expiresAt().isBefore(today))
			.concatMap(credential -> remindIfDue(credential, ChronoUnit.DAYS.between(today, credential.expiresAt())))
			.then();
	}

	private Mono<Void> remindIfDue(Credential credential, long daysLeft) {
		OptionalInt threshold = threshold(daysLeft);
		if (threshold.isEmpty()) {
			return Mono.empty();
		}
		int days = threshold.getAsInt();
		return this.tenants.findBySlug(credential.slug())
			// only the credential the organisation signs in with: a certificate kept
			// after switching back is unused
			.filter(tenant -> tenant.id().equals(credential.tenantId()) && tenant.technicalContactEmail() != null
					&& tenant.sso() != null && tenant.sso().credentialType() == credential.type())
			.flatMap(tenant -> this.reminders.claim(tenant.id(), credential.expiresAt(), days)
				.filter(Boolean::booleanValue)
				.flatMap(claimed -> remind(tenant, credential, daysLeft, days).onErrorResume(ex -> {
					logger.warn(
							"Could not mail the {}-day SSO renewal reminder of tenant {}; the next check tries again: {}",
							days, tenant.slug(), ex.toString());
					return this.reminders.release(tenant.id(), credential.expiresAt(), days);
				})));
	}

	private Mono<Void> remind(Tenant tenant, Credential credential, long daysLeft, int thresholdDays) {
		String contact = Objects.requireNonNull(tenant.technicalContactEmail(),
				"remindIfDue() skips organisations without one");
		Duration validFor = this.properties.linkValidFor();
		return this.links.issue(ACTOR, tenant, contact, validFor)
			.flatMap(link -> this.mail
				.send(this.properties.mailFrom(), contact, subject(tenant, daysLeft),
						text(tenant, credential, daysLeft, link))
				.then(this.audit.record(ACTOR, "sso.renewal_reminder_mailed", tenant.slug(), null, null,
						new ReminderAudit(contact, credential.type().value(), credential.expiresAt(), thresholdDays,
								link.id())))
				.doOnSuccess(
						done -> logger.info("Mailed the {}-day SSO renewal reminder of tenant {} with setup link {}",
								thresholdDays, tenant.slug(), link.id())));
	}

	/** The tightest threshold reached; empty while none is. */
	OptionalInt threshold(long daysLeft) {
		return this.thresholds.stream().filter(days -> daysLeft <= days).mapToInt(Integer::intValue).findFirst();
	}

	private static String subject(Tenant tenant, long daysLeft) {
		return "Renew the ioTORQ LEAN single sign-on of " + tenant.displayName() + ": "
				+ ((daysLeft == 0) ? "its credential expires today" : "its credential expires in " + days(daysLeft));
	}

	private String text(Tenant tenant, Credential credential, long daysLeft, IssuedSetupLink link) {
		return """
				Hello,

				you are the technical contact of %s for single sign-on to ioTORQ LEAN. The %s that LEAN uses \
				to sign your people in through your organisation's Microsoft Entra app registration expires on %s \
				(%s). After that day nobody of %s can sign in to LEAN.

				Renew it with this setup link, which shows each step and checks the new credential before it is used:

				%s

				The link works until %s UTC. Your people keep signing in with the current credential while you renew; \
				LEAN switches over only after a test sign-in with the new one has worked.

				If you are no longer the right person, please tell ioTORQ LEAN Support, who can change the contact.

				ioTORQ LEAN
				""".formatted(tenant.displayName(),
				(credential.type() == CredentialType.CERTIFICATE) ? "certificate" : "client secret",
				credential.expiresAt(), (daysLeft == 0) ? "today" : "in " + days(daysLeft), tenant.displayName(),
				link.url(), link.expiresAt().truncatedTo(ChronoUnit.MINUTES));
	}

	private static String days(long days) {
		return days + ((days == 1) ? " day" : " days");
	}

	/**
	 * An organisation's credential and the day it expires (a certificate's
	 * {@code notAfter}, in UTC).
	 */
	private record Credential(CredentialType type, UUID tenantId, String slug, LocalDate expiresAt) {
	}

	/**
	 * The audited reminder: whom it went to, about which credential, and which setup link
	 * it carried.
	 */
	record ReminderAudit(String mailedTo, String credential, LocalDate credentialExpiresAt, int thresholdDays,
			UUID setupLinkId) {
	}

}
