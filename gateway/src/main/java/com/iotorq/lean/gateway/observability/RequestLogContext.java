package com.iotorq.lean.gateway.observability;

import java.util.function.Supplier;

import io.micrometer.context.ContextSnapshot;
import io.micrometer.context.ContextSnapshotFactory;
import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;
import reactor.core.publisher.Mono;

import org.springframework.web.server.ServerWebExchange;

/**
 * Puts the request id and tenant into the logging MDC around a log statement of a
 * request.
 * <p>
 * Reactor restores thread locals only in its {@code handle} and {@code tap} operators
 * ({@code spring.reactor.context-propagation=limited}): restoring them on every signal of
 * every operator ({@code auto}) cost a third of the gateway's CPU per proxied request. So
 * the few statements that log on a request's behalf say so, through one of these two
 * methods.
 */
public final class RequestLogContext {

	private static final ContextSnapshotFactory snapshots = ContextSnapshotFactory.builder().build();

	private RequestLogContext() {
	}

	/**
	 * Runs the statement when subscribed, with the MDC taken from the subscriber's
	 * Reactor context (where the pipeline puts them).
	 */
	public static Mono<Void> log(Runnable statement) {
		return Mono.deferContextual(context -> {
			try (ContextSnapshot.Scope scope = snapshots.setThreadLocalsFrom(context, RequestContext.REQUEST_ID,
					RequestContext.TENANT)) {
				statement.run();
			}
			return Mono.empty();
		});
	}

	/** Runs the statement now, with the MDC taken from the exchange's attributes. */
	public static <T> T log(ServerWebExchange exchange, Supplier<T> statement) {
		try (var id = MDC.putCloseable(RequestContext.REQUEST_ID, RequestContext.requestId(exchange));
				var tenant = MDC.putCloseable(RequestContext.TENANT, tenantSlug(exchange))) {
			return statement.get();
		}
	}

	private static @Nullable String tenantSlug(ServerWebExchange exchange) {
		LoggedTenant tenant = exchange.getAttribute(RequestContext.TENANT_ATTRIBUTE);
		return (tenant != null) ? tenant.slug() : null;
	}

	/** Runs the statement now, with the MDC taken from the exchange's attributes. */
	public static void log(ServerWebExchange exchange, Runnable statement) {
		log(exchange, () -> {
			statement.run();
			return null;
		});
	}

}
