package com.iotorq.lean.gateway.scim;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import com.iotorq.lean.gateway.ratelimit.TenantRateLimits;

/** The SCIM endpoint, the pipeline's step for {@code /scim/v2/**}. */
@Configuration(proxyBeanMethods = false)
class ScimConfiguration {

	@Bean
	ScimEndpoint scimEndpoint(TenantRateLimits limits, ScimTokens tokens, ScimUsers users) {
		return new ScimEndpoint(limits, tokens, users);
	}

}
