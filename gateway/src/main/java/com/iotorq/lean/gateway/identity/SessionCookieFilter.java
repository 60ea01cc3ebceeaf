package com.iotorq.lean.gateway.identity;

import java.util.ArrayList;
import java.util.List;

import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;

import com.iotorq.lean.gateway.routing.HeaderHygieneFilter;
import com.iotorq.lean.gateway.session.SessionProperties;

/**
 * Keeps the gateway's session cookie from the backends: it is removed from the forwarded
 * {@code Cookie} header, and the backend's own cookies stay as they were.
 */
@Component
public final class SessionCookieFilter implements GlobalFilter, Ordered {

	private final String cookieName;

	public SessionCookieFilter(SessionProperties properties) {
		this.cookieName = properties.cookieName();
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
		List<String> cookies = exchange.getRequest().getHeaders().get(HttpHeaders.COOKIE);
		if (cookies == null || cookies.stream().noneMatch(header -> header.contains(this.cookieName))) {
			return chain.filter(exchange);
		}
		List<String> kept = new ArrayList<>(cookies.size());
		for (String header : cookies) {
			String rest = without(header);
			if (!rest.isEmpty()) {
				kept.add(rest);
			}
		}
		return chain.filter(exchange.mutate().request(request -> request.headers(headers -> {
			headers.remove(HttpHeaders.COOKIE);
			if (!kept.isEmpty()) {
				headers.put(HttpHeaders.COOKIE, kept);
			}
		})).build());
	}

	private String without(String header) {
		StringBuilder rest = new StringBuilder(header.length());
		for (String pair : header.split(";")) {
			String trimmed = pair.strip();
			int equals = trimmed.indexOf('=');
			String name = (equals >= 0) ? trimmed.substring(0, equals).strip() : trimmed;
			if (!trimmed.isEmpty() && !name.equals(this.cookieName)) {
				if (!rest.isEmpty()) {
					rest.append("; ");
				}
				rest.append(trimmed);
			}
		}
		return rest.toString();
	}

	@Override
	public int getOrder() {
		return HeaderHygieneFilter.ORDER + 2;
	}

}
