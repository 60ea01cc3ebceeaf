package com.iotorq.lean.gateway.onboarding;

import java.time.Clock;

import io.micrometer.core.instrument.MeterRegistry;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import com.iotorq.lean.gateway.audit.AuditLog;
import com.iotorq.lean.gateway.config.GatewayProperties;
import com.iotorq.lean.gateway.config.PeriodicTask;
import com.iotorq.lean.gateway.credentials.CertificateRepository;
import com.iotorq.lean.gateway.credentials.ClientAssertions;
import com.iotorq.lean.gateway.credentials.SigningCertificates;
import com.iotorq.lean.gateway.mail.OutgoingMail;
import com.iotorq.lean.gateway.secrets.SecretCipher;
import com.iotorq.lean.gateway.sso.provider.IdentityProviders;
import com.iotorq.lean.gateway.sso.oidc.IdpHttp;
import com.iotorq.lean.gateway.tenant.TenantRepository;

@Configuration(proxyBeanMethods = false)
class OnboardingConfiguration {

	@Bean
	SsoVerifier ssoVerifier(IdentityProviders providers, IdpHttp http, SecretCipher cipher, GatewayProperties gateway,
			JsonMapper json, Clock clock, SigningCertificates certificates, ClientAssertions assertions) {
		return new SsoVerifier(providers, http, cipher, gateway, json, clock, certificates, assertions);
	}

	@Bean
	SsoVerifications ssoVerifications(SsoVerifier verifier, SsoVerificationRepository repository) {
		return new SsoVerifications(verifier, repository);
	}

	@Bean
	SecretExpiryMonitor secretExpiryMonitor(SecretExpiryRepository repository, SecretExpiryProperties properties,
			Clock clock, MeterRegistry meters) {
		return new SecretExpiryMonitor(repository, properties, clock, meters);
	}

	@Bean
	RenewalReminders renewalReminders(SecretExpiryRepository expiries, CertificateRepository certificates,
			TenantRepository tenants, RenewalReminderRepository reminders, SetupLinkIssuer links, OutgoingMail mail,
			AuditLog audit, RenewalReminderProperties properties, Clock clock) {
		return new RenewalReminders(expiries, certificates, tenants, reminders, links, mail, audit, properties, clock);
	}

	@Bean
	PeriodicTask renewalReminderCheck(RenewalReminders reminders, RenewalReminderProperties properties) {
		return new PeriodicTask("SSO renewal reminders", properties.initialDelay(), properties.checkInterval(),
				reminders::check);
	}

	@Bean
	PeriodicTask secretExpiryCheck(SecretExpiryMonitor monitor, SecretExpiryProperties properties) {
		return new PeriodicTask("client secret expiry check", properties.initialDelay(), properties.checkInterval(),
				monitor::check);
	}

}
