package com.iotorq.lean.gateway.tenant;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import reactor.core.publisher.Mono;
import reactor.util.context.Context;

import org.springframework.core.Ordered;
import org.springframework.http.server.PathContainer;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

import com.iotorq.lean.gateway.config.GatewayProperties;
import com.iotorq.lean.gateway.observability.RequestContext;
import com.iotorq.lean.gateway.web.ErrorCode;
import com.iotorq.lean.gateway.web.GatewayException;
import com.iotorq.lean.gateway.web.ManagementRequests;

/**
 * Resolves every public request's organisation from its host before anything else runs
 * (including Spring Security), and answers by itself when there is none: garbage hosts with
 * 400, names no organisation owns with 404, and a database that cannot answer with 503.
 * Also refuses the management paths on the public port.
 */
@Component
public final class TenantResolutionWebFilter implements WebFilter, Ordered {

	/** Before Spring Security's filter chain (-100), which needs the tenant. */
	public static final int ORDER = -200;

	private static final Duration RETRY_AFTER = Duration.ofSeconds(5);

	private final TenantHost hosts;

	private final TenantDirectory directory;

	private final Set<String> reserved;

	private final List<PathPattern> blockedPaths;

	public TenantResolutionWebFilter(TenantHost hosts, TenantDirectory directory, GatewayProperties properties) {
		this.hosts = hosts;
		this.directory = directory;
		this.reserved = Set.copyOf(properties.reservedSlugs());
		PathPatternParser parser = new PathPatternParser();
		parser.setCaseSensitive(false);
		this.blockedPaths = properties.blockedPaths().stream().map(parser::parse).toList();
	}

	@Override
	public String toString() {
		// named in a checkpoint on every request: not Object.toString's hash formatting
		return "TenantResolutionWebFilter";
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		if (ManagementRequests.isManagement(exchange)) {
			return chain.filter(exchange);
		}
		if (isBlocked(exchange.getRequest().getPath().pathWithinApplication())) {
			return Mono.error(new GatewayException(ErrorCode.NOT_FOUND));
		}
		TenantHost.Result host = this.hosts.parse(exchange.getRequest().getURI().getHost());
		return switch (host.kind()) {
			case INVALID -> Mono.error(new GatewayException(ErrorCode.INVALID_HOST));
			case NOT_A_TENANT -> Mono.error(new GatewayException(ErrorCode.UNKNOWN_TENANT));
			case TENANT -> resolve(host.slug(), exchange, chain);
		};
	}

	private Mono<Void> resolve(String slug, ServerWebExchange exchange, WebFilterChain chain) {
		if (this.reserved.contains(slug)) {
			return Mono.error(new GatewayException(ErrorCode.UNKNOWN_TENANT));
		}
		return this.directory.find(slug)
			.onErrorMap(ex -> new GatewayException(ErrorCode.SERVICE_UNAVAILABLE,
					"ioTORQ LEAN cannot look up this organisation right now.", ex, RETRY_AFTER))
			.switchIfEmpty(Mono.error(() -> new GatewayException(ErrorCode.UNKNOWN_TENANT)))
			.flatMap(tenant -> {
				exchange.getAttributes().put(TenantAttributes.TENANT, tenant);
				return chain.filter(exchange).contextWrite(Context.of(RequestContext.TENANT, tenant.slug()));
			});
	}

	private boolean isBlocked(PathContainer path) {
		for (PathPattern pattern : this.blockedPaths) {
			if (pattern.matches(path)) {
				return true;
			}
		}
		return false;
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

}
