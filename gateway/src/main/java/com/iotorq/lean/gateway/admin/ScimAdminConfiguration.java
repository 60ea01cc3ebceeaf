package com.iotorq.lean.gateway.admin;

import org.springframework.boot.actuate.autoconfigure.web.ManagementContextConfiguration;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextType;
import org.springframework.context.annotation.Bean;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

import com.iotorq.lean.gateway.scim.ScimTokens;
import com.iotorq.lean.gateway.tenant.TenantRepository;

/**
 * The SCIM part of the admin API (the organisations' provisioning tokens), in the
 * management server's own context like the rest of it.
 */
@ManagementContextConfiguration(value = ManagementContextType.CHILD, proxyBeanMethods = false)
public class ScimAdminConfiguration {

	@Bean
	ScimTokenAdminHandler scimTokenAdminHandler(TenantRepository tenants, ScimTokens tokens, AdminResponses responses) {
		return new ScimTokenAdminHandler(tenants, tokens, responses);
	}

	@Bean
	RouterFunction<ServerResponse> scimAdminRoutes(ScimTokenAdminHandler tokens, AdminResponses responses) {
		return RouterFunctions.route()
			.path("/admin/tenants/{slug}/scim",
					scim -> scim.POST("/token", tokens::create).DELETE("/token", tokens::delete))
			.onError(AdminProblem.class, (ex, request) -> responses.problem(request, (AdminProblem) ex))
			.build();
	}

}
