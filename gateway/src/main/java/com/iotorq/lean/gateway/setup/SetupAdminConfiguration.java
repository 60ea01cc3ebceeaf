package com.iotorq.lean.gateway.setup;

import org.springframework.boot.actuate.autoconfigure.web.ManagementContextConfiguration;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextType;
import org.springframework.context.annotation.Bean;
import org.springframework.transaction.reactive.TransactionalOperator;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

import com.iotorq.lean.gateway.admin.AdminProblem;
import com.iotorq.lean.gateway.admin.AdminResponses;
import com.iotorq.lean.gateway.audit.AuditLog;
import com.iotorq.lean.gateway.onboarding.SetupLinkIssuer;
import com.iotorq.lean.gateway.tenant.TenantRepository;

/**
 * The setup-link part of the admin API, in the management server's own context like the
 * rest of it (registered in
 * {@code META-INF/spring/...ManagementContextConfiguration.imports}).
 */
@ManagementContextConfiguration(value = ManagementContextType.CHILD, proxyBeanMethods = false)
public class SetupAdminConfiguration {

	@Bean
	SetupLinkAdminHandler setupLinkAdminHandler(TenantRepository tenants, SetupLinkIssuer issuer,
			SetupLinkRepository links, SetupMail mail, AuditLog audit, TransactionalOperator transaction,
			AdminResponses responses) {
		return new SetupLinkAdminHandler(tenants, issuer, links, mail, audit, transaction, responses);
	}

	@Bean
	RouterFunction<ServerResponse> setupLinkAdminRoutes(SetupLinkAdminHandler links, AdminResponses responses) {
		return RouterFunctions.route()
			.path("/admin/tenants/{slug}/sso/setup-links",
					setup -> setup.POST("", links::create).GET("", links::list).DELETE("/{id}", links::revoke))
			.onError(AdminProblem.class, (ex, request) -> responses.problem(request, (AdminProblem) ex))
			.build();
	}

}
