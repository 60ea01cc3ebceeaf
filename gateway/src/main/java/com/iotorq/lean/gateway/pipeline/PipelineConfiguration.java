package com.iotorq.lean.gateway.pipeline;

import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import com.iotorq.lean.gateway.config.BenchAblation;
import com.iotorq.lean.gateway.identity.IdentityAssertions;
import com.iotorq.lean.gateway.identity.IdentityHeaders;
import com.iotorq.lean.gateway.observability.AccessLog;
import com.iotorq.lean.gateway.observability.RequestMetrics;
import com.iotorq.lean.gateway.ratelimit.TenantRateLimits;
import com.iotorq.lean.gateway.routing.TraceContext;
import com.iotorq.lean.gateway.scim.ScimEndpoint;
import com.iotorq.lean.gateway.sso.endpoints.CrossSiteRequestGuard;
import com.iotorq.lean.gateway.sso.endpoints.GatewayEndpoints;
import com.iotorq.lean.gateway.sso.login.SignedInSessions;
import com.iotorq.lean.gateway.sso.login.TenantAccessPolicy;
import com.iotorq.lean.gateway.sso.pages.SignInChooser;
import com.iotorq.lean.gateway.tenant.TenantResolution;
import com.iotorq.lean.gateway.web.GatewayPaths;
import com.iotorq.lean.gateway.web.PublicFirewall;
import com.iotorq.lean.gateway.web.SecurityHeaders;

/**
 * The public port's request pipeline and the steps no capability package wires itself.
 */
@Configuration(proxyBeanMethods = false)
class PipelineConfiguration {

	@Bean
	PublicRequestPipeline publicRequestPipeline(TenantResolution tenants, TenantRateLimits limits, ScimEndpoint scim,
			CrossSiteRequestGuard crossSite, GatewayEndpoints endpoints, SignedInSessions sessions,
			TenantAccessPolicy accessPolicy, SignInChooser chooser, IdentityHeaders identityHeaders,
			AccessLog accessLog, RequestMetrics metrics, BenchAblation ablation) {
		return new PublicRequestPipeline(new TraceContext(ablation), new PublicFirewall(), tenants, limits, scim,
				crossSite, endpoints, sessions, accessPolicy, chooser, identityHeaders, new SecurityHeaders(ablation),
				accessLog, metrics);
	}

	/** The access log, which never logs the token of a setup link. */
	@Bean
	AccessLog accessLog(BenchAblation ablation, MeterRegistry registry) {
		return new AccessLog(ablation, registry, GatewayPaths::loggable);
	}

	@Bean
	IdentityHeaders identityHeaders(IdentityAssertions assertions, BenchAblation ablation) {
		return new IdentityHeaders(assertions, ablation);
	}

}
