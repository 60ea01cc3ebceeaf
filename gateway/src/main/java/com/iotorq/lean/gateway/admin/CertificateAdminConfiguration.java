package com.iotorq.lean.gateway.admin;

import org.springframework.boot.actuate.autoconfigure.web.ManagementContextConfiguration;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextType;
import org.springframework.context.annotation.Bean;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

import com.iotorq.lean.gateway.credentials.SigningCertificates;
import com.iotorq.lean.gateway.tenant.TenantRepository;

/**
 * The certificate part of the admin API ({@code /admin/tenants/{slug}/sso/certificates}),
 * in the management server's own context like the rest of it.
 */
@ManagementContextConfiguration(value = ManagementContextType.CHILD, proxyBeanMethods = false)
public class CertificateAdminConfiguration {

	@Bean
	SsoCertificatesAdminHandler ssoCertificatesAdminHandler(TenantRepository tenants, SigningCertificates certificates,
			AdminResponses responses) {
		return new SsoCertificatesAdminHandler(tenants, certificates, responses);
	}

	@Bean
	RouterFunction<ServerResponse> certificateAdminRoutes(SsoCertificatesAdminHandler certificates,
			AdminResponses responses) {
		return RouterFunctions.route()
			.path("/admin/tenants/{slug}/sso/certificates",
					routes -> routes.POST("", certificates::create)
						.GET("", certificates::list)
						.GET("/{id}", certificates::get)
						.GET("/{id}/certificate.cer", certificates::download)
						.DELETE("/{id}", certificates::delete))
			.onError(AdminProblem.class, (ex, request) -> responses.problem(request, (AdminProblem) ex))
			.build();
	}

}
