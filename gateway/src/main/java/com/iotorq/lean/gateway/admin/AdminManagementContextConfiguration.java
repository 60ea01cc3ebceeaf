package com.iotorq.lean.gateway.admin;

import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.actuate.autoconfigure.web.ManagementContextConfiguration;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextType;
import org.springframework.context.annotation.Bean;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

import java.time.Clock;

import org.springframework.http.MediaType;

import com.iotorq.lean.gateway.account.AccountRegistry;
import com.iotorq.lean.gateway.account.AccountRepository;
import com.iotorq.lean.gateway.config.GatewayProperties;
import com.iotorq.lean.gateway.identity.IdentityKeys;
import com.iotorq.lean.gateway.onboarding.SsoVerifications;
import com.iotorq.lean.gateway.secrets.SecretCipher;
import com.iotorq.lean.gateway.sso.provider.IdentityProviders;
import com.iotorq.lean.gateway.web.GatewayPaths;
import com.iotorq.lean.gateway.tenant.TenantRegistry;
import com.iotorq.lean.gateway.tenant.TenantRepository;
import com.iotorq.lean.gateway.web.ManagementRequests;

/**
 * The admin API, served only by the management server's own context, so the public port
 * cannot reach it whatever its routes say. Registered in
 * {@code META-INF/spring/...ManagementContextConfiguration.imports}.
 */
@ManagementContextConfiguration(value = ManagementContextType.CHILD, proxyBeanMethods = false)
public class AdminManagementContextConfiguration {

	@Bean
	ManagementRequests.MarkingFilter managementRequestMarkingFilter() {
		return new ManagementRequests.MarkingFilter();
	}

	@Bean
	AdminResponses adminResponses(JsonMapper json) {
		return new AdminResponses(json);
	}

	@Bean
	TenantAdminHandler tenantAdminHandler(TenantRepository tenants, TenantRegistry registry, AdminResponses responses,
			GatewayProperties properties, SsoVerifications verifications) {
		return new TenantAdminHandler(tenants, registry, responses, properties, verifications);
	}

	@Bean
	SsoAdminHandler ssoAdminHandler(TenantRepository tenants, TenantRegistry registry, IdentityProviders providers,
			SecretCipher cipher, AdminResponses responses, Clock clock, SsoVerifications verifications) {
		return new SsoAdminHandler(tenants, registry, providers, cipher, responses, clock, verifications);
	}

	@Bean
	AccountAdminHandler accountAdminHandler(TenantRepository tenants, AccountRepository accounts,
			AccountRegistry registry, AdminResponses responses) {
		return new AccountAdminHandler(tenants, accounts, registry, responses);
	}

	@Bean
	RouterFunction<ServerResponse> adminRoutes(TenantAdminHandler tenants, SsoAdminHandler sso,
			AccountAdminHandler accounts, AdminResponses responses) {
		return RouterFunctions.route()
			.path("/admin/tenants",
					admin -> admin.GET("", tenants::list)
						.GET("/{slug}", tenants::get)
						.PUT("/{slug}", tenants::put)
						.DELETE("/{slug}", tenants::delete)
						.PUT("/{slug}/sso", sso::put)
						.DELETE("/{slug}/sso", sso::delete)
						.GET("/{slug}/users", accounts::list)
						.GET("/{slug}/users/{email}", accounts::get)
						.PUT("/{slug}/users/{email}", accounts::put))
			.onError(AdminProblem.class, (ex, request) -> responses.problem(request, (AdminProblem) ex))
			.build();
	}

	/**
	 * The public keys of {@code X-Lean-Identity}, for backends; open, as public keys are.
	 */
	@Bean
	RouterFunction<ServerResponse> identityJwks(IdentityKeys keys) {
		return RouterFunctions.route()
			.GET(GatewayPaths.JWKS,
					request -> ServerResponse.ok()
						.contentType(MediaType.parseMediaType("application/jwk-set+json"))
						.header("Cache-Control", "public, max-age=300")
						.bodyValue(keys.publicJson()))
			.build();
	}

}
