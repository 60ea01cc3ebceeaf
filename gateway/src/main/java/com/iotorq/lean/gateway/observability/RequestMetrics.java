package com.iotorq.lean.gateway.observability;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;

import com.iotorq.lean.gateway.config.BenchAblation;

/**
 * The one timer of each public request, {@code spring_cloud_gateway_requests_seconds}
 * with the tags {@code tenant} (slug, {@code none} for a host that names no
 * organisation), {@code routeId} (the backend route, {@link #GATEWAY_ROUTE} for requests
 * the gateway answers itself: sign-in pages, refusals, error pages before routing),
 * {@code httpStatusCode} and {@code outcome} ({@code SUCCESSFUL}, {@code CLIENT_ERROR}, …
 * as Spring Cloud Gateway names them).
 * <p>
 * Timers are looked up by tenant, route and status in caches of their own, so a request
 * builds no tags or meter id; only the first request of each combination registers one.
 */
@Component
public final class RequestMetrics {

	static final String NAME = "spring.cloud.gateway.requests";

	/** {@code routeId} of a request that no backend route took. */
	public static final String GATEWAY_ROUTE = "lean-gateway";

	static final String NO_TENANT = "none";

	private static final int STATUSES = 600;

	private final MeterRegistry registry;

	private final boolean enabled;

	/**
	 * tenant slug → route id → timers by status code (an unknown or odd code at index 0)
	 */
	private final ConcurrentMap<String, ConcurrentMap<String, AtomicReferenceArray<Timer>>> timers = new ConcurrentHashMap<>();

	public RequestMetrics(MeterRegistry registry, BenchAblation ablation) {
		this.registry = registry;
		this.enabled = ablation.isOn(BenchAblation.Feature.METRICS);
	}

	/**
	 * Records the request's time from {@code startedNanos} ({@link System#nanoTime()}
	 * when it arrived) under its tenant, route and response status (200 when none was
	 * set).
	 */
	public void record(ServerWebExchange exchange, long startedNanos) {
		if (!this.enabled) {
			return;
		}
		long nanos = System.nanoTime() - startedNanos;
		LoggedTenant tenant = exchange.getAttribute(RequestContext.TENANT_ATTRIBUTE);
		Route route = exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR);
		HttpStatusCode status = exchange.getResponse().getStatusCode();
		timer((tenant != null) ? tenant.slug() : NO_TENANT, (route != null) ? route.getId() : GATEWAY_ROUTE,
				(status != null) ? status.value() : 200)
			.record(nanos, TimeUnit.NANOSECONDS);
	}

	Timer timer(String tenant, String routeId, int status) {
		var byRoute = this.timers.get(tenant);
		if (byRoute == null) {
			byRoute = this.timers.computeIfAbsent(tenant, key -> new ConcurrentHashMap<>());
		}
		var byStatus = byRoute.get(routeId);
		if (byStatus == null) {
			byStatus = byRoute.computeIfAbsent(routeId, key -> new AtomicReferenceArray<>(STATUSES));
		}
		int index = (status >= 100 && status < STATUSES) ? status : 0;
		Timer timer = byStatus.get(index);
		if (timer == null) {
			// racing registrations get the same meter from the registry
			timer = register(tenant, routeId, index);
			byStatus.set(index, timer);
		}
		return timer;
	}

	private Timer register(String tenant, String routeId, int status) {
		HttpStatus known = HttpStatus.resolve(status);
		return Timer.builder(NAME)
			.description("Public requests by organisation, backend route and response status")
			.tag("tenant", tenant)
			.tag("routeId", routeId)
			.tag("httpStatusCode", (status == 0) ? "NA" : Integer.toString(status))
			.tag("outcome", (known != null) ? known.series().name() : "CUSTOM")
			.register(this.registry);
	}

}
