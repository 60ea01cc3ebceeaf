package com.iotorq.lean.gateway.observability;

import org.springframework.web.server.ServerWebExchange;

/**
 * Per-request values that every log line of the request carries, under these MDC keys.
 */
public final class RequestContext {

	/** MDC key and Reactor context key of the request id (the W3C trace id). */
	public static final String REQUEST_ID = "requestId";

	/** MDC key and Reactor context key of the organisation's slug. */
	public static final String TENANT = "tenant";

	/** Exchange attribute holding the request id. */
	public static final String REQUEST_ID_ATTRIBUTE = RequestContext.class.getName() + ".requestId";

	/** Exchange attribute holding the request's organisation, a {@link LoggedTenant}. */
	public static final String TENANT_ATTRIBUTE = RequestContext.class.getName() + ".tenant";

	private RequestContext() {
	}

	/** The request's id, or Reactor Netty's own when the request was not traced. */
	public static String requestId(ServerWebExchange exchange) {
		// no Optional, and the request's own id only when needed: read for every access
		// log line
		String id = exchange.getAttribute(REQUEST_ID_ATTRIBUTE);
		return (id != null) ? id : exchange.getRequest().getId();
	}

}
