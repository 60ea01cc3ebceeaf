package com.iotorq.lean.gateway.ratelimit;

import java.time.Duration;

import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

import com.iotorq.lean.gateway.tenant.Tenant;
import com.iotorq.lean.gateway.tenant.TenantAttributes;
import com.iotorq.lean.gateway.tenant.TenantResolutionWebFilter;
import com.iotorq.lean.gateway.web.ErrorCode;
import com.iotorq.lean.gateway.web.GatewayException;
import com.iotorq.lean.gateway.web.ManagementRequests;

/**
 * Limits each organisation's requests on the public port to its own rate
 * ({@code requestsPerSecond} of the admin API) or {@code lean.rate-limit.default-requests-per-second}:
 * beyond it, 429 with {@code Retry-After}. Runs right after tenant resolution, so refused
 * requests cost neither a session lookup nor a backend call. The sign-in endpoints keep their
 * own per-client limit besides ({@code SignInRequestLimits}).
 */
public final class TenantRateLimitFilter implements WebFilter, Ordered {

	public static final int ORDER = TenantResolutionWebFilter.ORDER + 5;

	private final RequestRateLimiter limiter;

	private final RateLimitProperties properties;

	public TenantRateLimitFilter(RequestRateLimiter limiter, RateLimitProperties properties) {
		this.limiter = limiter;
		this.properties = properties;
	}

	@Override
	public String toString() {
		// named in a checkpoint on every request: not Object.toString's hash formatting
		return "TenantRateLimitFilter";
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		Tenant tenant = ManagementRequests.isManagement(exchange) ? null : TenantAttributes.tenant(exchange).orElse(null);
		if (tenant == null) {
			return chain.filter(exchange);
		}
		int rate = (tenant.requestsPerSecond() != null) ? tenant.requestsPerSecond()
				: this.properties.defaultRequestsPerSecond();
		return this.limiter.acquire(tenant.id().toString(), rate, this.properties.capacity(rate))
			.flatMap(decision -> decision.allowed() ? chain.filter(exchange)
					: Mono.error(new GatewayException(ErrorCode.TOO_MANY_REQUESTS,
							"Your organisation is sending more requests than its limit allows.", null,
							atLeastOneSecond(decision.retryAfter()))));
	}

	private static Duration atLeastOneSecond(Duration wait) {
		// Retry-After counts whole seconds
		return Duration.ofSeconds(Math.max(1, (wait.toMillis() + 999) / 1000));
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

}
