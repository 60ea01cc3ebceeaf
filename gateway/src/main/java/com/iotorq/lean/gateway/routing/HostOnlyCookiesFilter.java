package com.iotorq.lean.gateway.routing;

import java.util.ArrayList;
import java.util.List;

import org.springframework.cloud.gateway.filter.headers.HttpHeadersFilter;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;

/**
 * A backend's {@code Set-Cookie} reaches the browser host-only: its {@code Domain}
 * attribute is removed (in any case and spacing), every other attribute stays as the
 * backend wrote it. All organisations share one domain, so
 * {@code Domain=.iotorq-lean.com} in one organisation's response would set the cookie for
 * every other organisation's host too. Applies to the answers Spring Cloud Gateway
 * forwards ({@link Type#RESPONSE}); the gateway's own session cookie never has a Domain.
 */
@Component
public final class HostOnlyCookiesFilter implements HttpHeadersFilter, Ordered {

	/** After Spring Cloud Gateway's own response header filters. */
	public static final int ORDER = Ordered.LOWEST_PRECEDENCE;

	@Override
	public boolean supports(Type type) {
		return type == Type.RESPONSE;
	}

	@Override
	public HttpHeaders filter(HttpHeaders input, ServerWebExchange exchange) {
		List<String> cookies = input.get(HttpHeaders.SET_COOKIE);
		if (cookies == null) {
			return input;
		}
		List<String> hostOnly = cookies.stream().map(HostOnlyCookiesFilter::hostOnly).toList();
		if (hostOnly.equals(cookies)) {
			return input;
		}
		HttpHeaders filtered = HttpHeaders.copyOf(input);
		filtered.put(HttpHeaders.SET_COOKIE, hostOnly);
		return filtered;
	}

	/**
	 * The {@code Set-Cookie} value without its Domain attributes; the first pair is the
	 * cookie itself.
	 */
	static String hostOnly(String setCookie) {
		String[] parts = setCookie.split(";", -1);
		List<String> kept = new ArrayList<>(parts.length);
		kept.add(parts[0]);
		for (int i = 1; i < parts.length; i++) {
			if (!isDomain(parts[i])) {
				kept.add(parts[i]);
			}
		}
		return (kept.size() == parts.length) ? setCookie : String.join(";", kept);
	}

	private static boolean isDomain(String attribute) {
		int equals = attribute.indexOf('=');
		String name = ((equals >= 0) ? attribute.substring(0, equals) : attribute).strip();
		return name.equalsIgnoreCase("domain");
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

}
