package com.iotorq.lean.gateway.admin;

import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.actuate.autoconfigure.web.ManagementContextConfiguration;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextType;
import org.springframework.context.annotation.Bean;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

import com.iotorq.lean.gateway.config.GatewayProperties;
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
			GatewayProperties properties) {
		return new TenantAdminHandler(tenants, registry, responses, properties);
	}

	@Bean
	RouterFunction<ServerResponse> adminRoutes(TenantAdminHandler tenants, AdminResponses responses) {
		return RouterFunctions.route()
			.path("/admin", admin -> admin.GET("/tenants", tenants::list)
				.GET("/tenants/{slug}", tenants::get)
				.PUT("/tenants/{slug}", tenants::put)
				.DELETE("/tenants/{slug}", tenants::delete))
			.onError(AdminProblem.class, (ex, request) -> responses.problem(request, (AdminProblem) ex))
			.build();
	}

}
