package com.iotorq.lean.gateway.onboarding;

import java.time.Clock;

import io.micrometer.core.instrument.MeterRegistry;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import com.iotorq.lean.gateway.config.GatewayProperties;
import com.iotorq.lean.gateway.config.PeriodicTask;
import com.iotorq.lean.gateway.credentials.ClientAssertions;
import com.iotorq.lean.gateway.credentials.SigningCertificates;
import com.iotorq.lean.gateway.secrets.SecretCipher;
import com.iotorq.lean.gateway.sso.IdentityProviders;
import com.iotorq.lean.gateway.sso.IdpHttp;

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
	PeriodicTask secretExpiryCheck(SecretExpiryMonitor monitor, SecretExpiryProperties properties) {
		return new PeriodicTask("client secret expiry check", properties.initialDelay(), properties.checkInterval(),
				monitor::check);
	}

}
