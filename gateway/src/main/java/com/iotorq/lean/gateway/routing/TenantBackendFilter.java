package com.iotorq.lean.gateway.routing;

import java.net.URI;

import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.filter.RouteToRequestUrlFilter;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.core.Ordered;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.util.UriComponentsBuilder;

import com.iotorq.lean.gateway.tenant.Tenant;
import com.iotorq.lean.gateway.tenant.TenantAttributes;

/**
 * Sends an organisation that has a backend of its own there instead of to the default
 * backend. Only routes that target {@code lean.backend.default-uri} are redirected;
 * routes to other services stay as configured.
 */
@Component
public final class TenantBackendFilter implements GlobalFilter, Ordered {

	/** Right after the route's URL has been computed. */
	public static final int ORDER = RouteToRequestUrlFilter.ROUTE_TO_URL_FILTER_ORDER + 1;

	private final URI defaultBackend;

	public TenantBackendFilter(BackendProperties properties) {
		this.defaultBackend = properties.defaultUri();
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
		Tenant tenant = TenantAttributes.required(exchange);
		Route route = exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR);
		URI url = exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_REQUEST_URL_ATTR);
		if (tenant.backendUri() != null && route != null && url != null && targetsDefault(route.getUri())) {
			exchange.getAttributes()
				.put(ServerWebExchangeUtils.GATEWAY_REQUEST_URL_ATTR, retarget(url, tenant.backendUri()));
		}
		return chain.filter(exchange);
	}

	private boolean targetsDefault(URI routeUri) {
		return routeUri.getScheme().equals(this.defaultBackend.getScheme())
				&& routeUri.getAuthority().equals(this.defaultBackend.getAuthority());
	}

	static URI retarget(URI url, URI backend) {
		String basePath = (backend.getRawPath() != null) ? backend.getRawPath().replaceAll("/+$", "") : "";
		return UriComponentsBuilder.fromUri(url)
			.scheme(backend.getScheme())
			.host(backend.getHost())
			.port(backend.getPort())
			.replacePath(basePath + url.getRawPath())
			.build(true)
			.toUri();
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

}
