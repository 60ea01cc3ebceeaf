package com.iotorq.lean.gateway.admin;

import java.time.Clock;

import org.springframework.boot.actuate.autoconfigure.web.ManagementContextConfiguration;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextType;
import org.springframework.context.annotation.Bean;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

import com.iotorq.lean.gateway.account.AccountRegistry;
import com.iotorq.lean.gateway.account.AccountRepository;
import com.iotorq.lean.gateway.activation.AccountActivation;
import com.iotorq.lean.gateway.audit.SignInEventRepository;
import com.iotorq.lean.gateway.credentials.CertificateExpiryMonitor;
import com.iotorq.lean.gateway.credentials.CertificateRepository;
import com.iotorq.lean.gateway.onboarding.SecretExpiryMonitor;
import com.iotorq.lean.gateway.onboarding.SecretExpiryRepository;
import com.iotorq.lean.gateway.onboarding.SsoVerifications;
import com.iotorq.lean.gateway.tenant.TenantRepository;

/**
 * The onboarding part of the admin API, in the management server's own context like the
 * rest of it: credential verification, expiring secrets, account activation and the
 * sign-in audit.
 */
@ManagementContextConfiguration(value = ManagementContextType.CHILD, proxyBeanMethods = false)
public class OnboardingAdminConfiguration {

	@Bean
	SsoVerificationAdminHandler ssoVerificationAdminHandler(TenantRepository tenants, SsoVerifications verifications,
			AdminResponses responses) {
		return new SsoVerificationAdminHandler(tenants, verifications, responses);
	}

	@Bean
	ExpiringSecretsAdminHandler expiringSecretsAdminHandler(SecretExpiryRepository secrets, SecretExpiryMonitor monitor,
			AdminResponses responses, Clock clock, CertificateRepository certificates,
			CertificateExpiryMonitor certificateMonitor) {
		return new ExpiringSecretsAdminHandler(secrets, monitor, responses, clock, certificates, certificateMonitor);
	}

	@Bean
	AccountStatusAdminHandler accountStatusAdminHandler(TenantRepository tenants, AccountRepository accounts,
			AccountRegistry registry, AccountActivation activation, AdminResponses responses) {
		return new AccountStatusAdminHandler(tenants, accounts, registry, activation, responses);
	}

	@Bean
	SignInAuditAdminHandler signInAuditAdminHandler(TenantRepository tenants, SignInEventRepository events,
			AdminResponses responses) {
		return new SignInAuditAdminHandler(tenants, events, responses);
	}

	@Bean
	RouterFunction<ServerResponse> onboardingAdminRoutes(SsoVerificationAdminHandler verification,
			ExpiringSecretsAdminHandler expiring, AccountStatusAdminHandler accounts, SignInAuditAdminHandler signIns,
			AdminResponses responses) {
		return RouterFunctions.route()
			.GET("/admin/sso/expiring", expiring::list)
			.path("/admin/tenants/{slug}",
					tenant -> tenant.POST("/sso/verify", verification::verify)
						.POST("/users/{email}/activate", accounts::activate)
						.DELETE("/users/{email}", accounts::disable)
						.DELETE("/users/{email}/link", accounts::unlink)
						.GET("/signins", signIns::list))
			.onError(AdminProblem.class, (ex, request) -> responses.problem(request, (AdminProblem) ex))
			.build();
	}

}
