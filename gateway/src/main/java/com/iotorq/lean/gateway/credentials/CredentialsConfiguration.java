package com.iotorq.lean.gateway.credentials;

import java.time.Clock;

import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.reactive.TransactionalOperator;

import com.iotorq.lean.gateway.audit.AuditLog;
import com.iotorq.lean.gateway.config.PeriodicTask;
import com.iotorq.lean.gateway.secrets.SecretCipher;
import com.iotorq.lean.gateway.tenant.TenantChangeNotifier;
import com.iotorq.lean.gateway.tenant.TenantDirectory;
import com.iotorq.lean.gateway.tenant.TenantRepository;

@Configuration(proxyBeanMethods = false)
class CredentialsConfiguration {

	@Bean
	CertificateGenerator certificateGenerator(Clock clock) {
		return new CertificateGenerator(clock);
	}

	@Bean
	ClientAssertions clientAssertions(Clock clock) {
		return new ClientAssertions(clock);
	}

	@Bean
	CertificateExpiryMonitor certificateExpiryMonitor(CertificateRepository repository,
			CertificateExpiryProperties properties, Clock clock, MeterRegistry meters) {
		return new CertificateExpiryMonitor(repository, properties, clock, meters);
	}

	@Bean
	PeriodicTask certificateExpiryCheck(CertificateExpiryMonitor monitor, CertificateExpiryProperties properties) {
		return new PeriodicTask("certificate expiry check", properties.initialDelay(), properties.checkInterval(),
				monitor::check);
	}

	@Bean
	SigningCertificates signingCertificates(CertificateRepository repository, CertificateGenerator generator,
			SecretCipher cipher, TenantRepository tenants, AuditLog audit, TenantChangeNotifier notifier,
			TenantDirectory directory, TransactionalOperator transaction, Clock clock) {
		return new SigningCertificates(repository, generator, cipher, tenants, audit, notifier, directory, transaction,
				clock);
	}

}
