package com.iotorq.lean.gateway.tenant;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.http.server.PathContainer;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

import com.iotorq.lean.gateway.config.GatewayProperties;
import com.iotorq.lean.gateway.web.ErrorCode;
import com.iotorq.lean.gateway.web.GatewayException;

/**
 * The pipeline's tenant step: every public request's organisation, from its host, put on
 * the exchange ({@link TenantAttributes}) for every later step. Refuses garbage hosts
 * with 400, names no organisation owns with 404, a database that cannot answer with 503,
 * and the management paths on the public port with 404.
 */
public final class TenantResolution {

	private static final Duration RETRY_AFTER = Duration.ofSeconds(5);

	private final TenantHost hosts;

	private final TenantDirectory directory;

	private final Set<String> reserved;

	private final List<PathPattern> blockedPaths;

	public TenantResolution(TenantHost hosts, TenantDirectory directory, GatewayProperties properties) {
		this.hosts = hosts;
		this.directory = directory;
		this.reserved = Set.copyOf(properties.reservedSlugs());
		PathPatternParser parser = new PathPatternParser();
		parser.setCaseSensitive(false);
		this.blockedPaths = properties.blockedPaths().stream().map(parser::parse).toList();
	}

	/**
	 * The organisation, when the cache has it at hand (nearly every request).
	 * @return the tenant, or {@code null} when it must be loaded: {@link #resolve}
	 * @throws GatewayException when the request names no organisation or a blocked path
	 */
	public @Nullable Tenant resolveNow(ServerWebExchange exchange) {
		Tenant tenant = this.directory.cached(slug(exchange));
		if (tenant != null) {
			exchange.getAttributes().put(TenantAttributes.TENANT, tenant);
		}
		return tenant;
	}

	/**
	 * The organisation, from the database when it is not cached: an error when there is
	 * none.
	 */
	public Mono<Tenant> resolve(ServerWebExchange exchange) {
		String slug;
		try {
			slug = slug(exchange);
		}
		catch (GatewayException refused) {
			return Mono.error(refused);
		}
		return this.directory.find(slug)
			.onErrorMap(ex -> new GatewayException(ErrorCode.SERVICE_UNAVAILABLE,
					"ioTORQ LEAN cannot look up this organisation right now.", ex, RETRY_AFTER))
			.switchIfEmpty(Mono.error(() -> new GatewayException(ErrorCode.UNKNOWN_TENANT)))
			.doOnNext(tenant -> exchange.getAttributes().put(TenantAttributes.TENANT, tenant));
	}

	private String slug(ServerWebExchange exchange) {
		if (isBlocked(exchange.getRequest().getPath().pathWithinApplication())) {
			throw new GatewayException(ErrorCode.NOT_FOUND);
		}
		TenantHost.Result host = this.hosts.parse(exchange.getRequest().getURI().getHost());
		return switch (host.kind()) {
			case INVALID -> throw new GatewayException(ErrorCode.INVALID_HOST);
			case NOT_A_TENANT -> throw new GatewayException(ErrorCode.UNKNOWN_TENANT);
			case TENANT -> {
				if (this.reserved.contains(host.slug())) {
					throw new GatewayException(ErrorCode.UNKNOWN_TENANT);
				}
				yield Objects.requireNonNull(host.slug(), "a tenant's host has a slug");
			}
		};
	}

	private boolean isBlocked(PathContainer path) {
		for (PathPattern pattern : this.blockedPaths) {
			if (pattern.matches(path)) {
				return true;
			}
		}
		return false;
	}

}
