package com.iotorq.lean.gateway.tenant;

import java.util.Optional;

import org.springframework.web.server.ServerWebExchange;

import com.iotorq.lean.gateway.observability.RequestContext;

/**
 * Typed access to the organisation a request was resolved to.
 */
public final class TenantAttributes {

	/** Exchange attribute holding the request's {@link Tenant}. */
	public static final String TENANT = RequestContext.TENANT_ATTRIBUTE;

	private TenantAttributes() {
	}

	public static Optional<Tenant> tenant(ServerWebExchange exchange) {
		return Optional.ofNullable(exchange.getAttribute(TENANT));
	}

	/** The resolved tenant; only call where {@link TenantResolution} guarantees one. */
	public static Tenant required(ServerWebExchange exchange) {
		Tenant tenant = exchange.getAttribute(TENANT);
		if (tenant == null) {
			throw new IllegalStateException("No tenant resolved for this request");
		}
		return tenant;
	}

}
