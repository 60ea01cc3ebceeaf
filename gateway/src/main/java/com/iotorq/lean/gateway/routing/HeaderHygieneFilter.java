package com.iotorq.lean.gateway.routing;

import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.cloud.gateway.filter.headers.HttpHeadersFilter;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;

import com.iotorq.lean.gateway.session.SessionCookieResolver;
import com.iotorq.lean.gateway.session.SessionProperties;
import com.iotorq.lean.gateway.tenant.Tenant;
import com.iotorq.lean.gateway.tenant.TenantAttributes;

/**
 * The headers a backend receives (HTTP and WebSocket alike): every inbound header in the
 * {@code X-Lean-*} namespace (see {@link LeanHeaders#isReserved}) is dropped, then
 * {@code X-Lean-Tenant} and the gateway's other {@link BackendHeaders} are added, so a
 * client can never supply or shadow them. The gateway's session cookie, under either of
 * its names ({@link SessionCookieResolver#names}), is left out of {@code Cookie} (the
 * backend's own cookies stay as they were). Runs last of Spring Cloud Gateway's header
 * filters, on the copy it makes for the backend call; the request itself is never copied
 * for this.
 */
@Component
public final class HeaderHygieneFilter implements HttpHeadersFilter, Ordered {

	/**
	 * After Spring Cloud Gateway's own header filters (forwarded headers, hop-by-hop).
	 */
	public static final int ORDER = Ordered.LOWEST_PRECEDENCE;

	private final List<String> sessionCookies;

	public HeaderHygieneFilter(SessionProperties sessions) {
		this.sessionCookies = SessionCookieResolver.names(sessions.cookieName());
	}

	@Override
	public HttpHeaders filter(HttpHeaders input, ServerWebExchange exchange) {
		return forwarded(input, exchange.getAttribute(TenantAttributes.TENANT), BackendHeaders.find(exchange),
				this.sessionCookies);
	}

	/**
	 * A new set of headers: the client's without reserved or replaced ones and without
	 * the session cookies, then the gateway's.
	 */
	static HttpHeaders forwarded(HttpHeaders input, @Nullable Tenant tenant, @Nullable BackendHeaders edits,
			List<String> sessionCookies) {
		HttpHeaders forwarded = new HttpHeaders();
		input.forEach((name, values) -> {
			if (LeanHeaders.isReserved(name) || (edits != null && edits.replaces(name))) {
				return;
			}
			if (HttpHeaders.COOKIE.equalsIgnoreCase(name)) {
				List<String> kept = Cookies.without(values, sessionCookies);
				if (!kept.isEmpty()) {
					forwarded.put(name, kept);
				}
				return;
			}
			forwarded.put(name, values);
		});
		if (tenant != null) {
			forwarded.set(LeanHeaders.TENANT, tenant.slug());
		}
		if (edits != null) {
			edits.values().forEach(forwarded::set);
		}
		return forwarded;
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

}
