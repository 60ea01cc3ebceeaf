package com.iotorq.lean.gateway.setup;

import java.time.Clock;
import java.time.Duration;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.reactive.TransactionalOperator;

import com.iotorq.lean.gateway.account.AccountRepository;
import com.iotorq.lean.gateway.activation.ActivationProperties;
import com.iotorq.lean.gateway.audit.AuditLog;
import com.iotorq.lean.gateway.config.GatewayProperties;
import com.iotorq.lean.gateway.config.PeriodicTask;
import com.iotorq.lean.gateway.credentials.ClientAssertions;
import com.iotorq.lean.gateway.credentials.SigningCertificates;
import com.iotorq.lean.gateway.mail.OutgoingMail;
import com.iotorq.lean.gateway.onboarding.SetupLinkIssuer;
import com.iotorq.lean.gateway.onboarding.SsoVerifications;
import com.iotorq.lean.gateway.onboarding.SsoVerifier;
import com.iotorq.lean.gateway.ratelimit.RequestRateLimiter;
import com.iotorq.lean.gateway.secrets.SecretCipher;
import com.iotorq.lean.gateway.sso.SsoProperties;
import com.iotorq.lean.gateway.sso.oidc.IdpHttp;
import com.iotorq.lean.gateway.sso.oidc.OidcMetadata;
import com.iotorq.lean.gateway.sso.provider.IdentityProviders;
import com.iotorq.lean.gateway.tenant.TenantRegistry;

@Configuration(proxyBeanMethods = false)
class SetupConfiguration {

	@Bean
	SetupLinkIssuer setupLinkIssuer(SetupLinkRepository links, AuditLog audit, TransactionalOperator transaction,
			GatewayProperties gateway, SetupProperties properties) {
		return new DefaultSetupLinkIssuer(links, audit, transaction, gateway, properties);
	}

	@Bean
	SetupMail setupMail(OutgoingMail mail, ActivationProperties accounts) {
		return new SetupMail(mail, accounts.mailFrom());
	}

	@Bean
	SetupSignIns setupSignIns(IdentityProviders providers, OidcMetadata metadata, IdpHttp http, SecretCipher cipher,
			AccountRepository accounts, SigningCertificates certificates, ClientAssertions assertions,
			SsoProperties sso, Clock clock) {
		return new SetupSignIns(providers, metadata, http, cipher, accounts, certificates, assertions, sso.clockSkew(),
				clock);
	}

	/** Drafts hold sealed secrets: they are deleted once their session has ended. */
	@Bean
	PeriodicTask setupSessionCleanup(SetupSessionRepository sessions) {
		return new PeriodicTask("setup session clean-up", Duration.ofMinutes(1), Duration.ofHours(1),
				sessions::deleteEnded);
	}

	@Bean
	SetupPagesFilter setupPagesFilter(SetupLinkRepository links, SetupSessionRepository sessions, SetupSignIns signIns,
			SsoVerifier verifier, SsoVerifications verifications, IdentityProviders providers, SecretCipher cipher,
			TenantRegistry registry, AuditLog audit, TransactionalOperator transaction, RequestRateLimiter limiter,
			SsoProperties sso, SetupProperties properties, SigningCertificates certificates, Clock clock) {
		return new SetupPagesFilter(links, sessions, signIns, verifier, verifications, providers, cipher, registry,
				audit, transaction, limiter, sso.signInRateLimit(), properties, certificates, clock);
	}

}
