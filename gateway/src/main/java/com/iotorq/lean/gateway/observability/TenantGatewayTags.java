package com.iotorq.lean.gateway.observability;

import io.micrometer.core.instrument.Tags;

import org.springframework.cloud.gateway.support.tagsprovider.GatewayTagsProvider;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;

import com.iotorq.lean.gateway.tenant.Tenant;
import com.iotorq.lean.gateway.tenant.TenantAttributes;

/**
 * Adds the organisation to Spring Cloud Gateway's backend request metrics
 * ({@code spring_cloud_gateway_requests_seconds}), so latency and status can be read per tenant.
 */
@Component
public class TenantGatewayTags implements GatewayTagsProvider {

	@Override
	public Tags apply(ServerWebExchange exchange) {
		return Tags.of("tenant", TenantAttributes.tenant(exchange).map(Tenant::slug).orElse("none"));
	}

}
