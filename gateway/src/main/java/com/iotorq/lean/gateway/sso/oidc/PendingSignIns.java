package com.iotorq.lean.gateway.sso.oidc;

import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.security.oauth2.client.web.server.ServerAuthorizationRequestRepository;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.web.server.ServerWebExchange;

/**
 * Sign-ins started in this session and not yet completed, by {@code state}. Several may
 * be pending (two tabs), but at most {@value #MAX_PENDING}: the oldest is dropped, so
 * starting sign-ins cannot grow a session without bound. Each is removed when its
 * callback arrives, so a replayed callback finds nothing.
 */
public final class PendingSignIns implements ServerAuthorizationRequestRepository<OAuth2AuthorizationRequest> {

	static final int MAX_PENDING = 5;

	/** Session attribute holding the pending requests. */
	static final String ATTRIBUTE = PendingSignIns.class.getName() + ".pending";

	/** Exchange attribute: where the completed sign-in should lead. */
	public static final String NEXT_ATTRIBUTE = PendingSignIns.class.getName() + ".next";

	/** Authorization request attribute carrying the sanitized {@code next} path. */
	static final String NEXT = "lean_next";

	@Override
	public Mono<OAuth2AuthorizationRequest> loadAuthorizationRequest(ServerWebExchange exchange) {
		String state = state(exchange);
		if (state == null) {
			return Mono.empty();
		}
		return exchange.getSession().mapNotNull(session -> pending(session.getAttributes()).get(state));
	}

	@Override
	public Mono<Void> saveAuthorizationRequest(@Nullable OAuth2AuthorizationRequest request,
			ServerWebExchange exchange) {
		if (request == null) {
			return Mono.empty();
		}
		return exchange.getSession().doOnNext(session -> {
			LinkedHashMap<String, OAuth2AuthorizationRequest> pending = new LinkedHashMap<>(
					pending(session.getAttributes()));
			pending.put(request.getState(), request);
			while (pending.size() > MAX_PENDING) {
				pending.remove(pending.keySet().iterator().next());
			}
			session.getAttributes().put(ATTRIBUTE, pending);
		}).then();
	}

	@Override
	public Mono<OAuth2AuthorizationRequest> removeAuthorizationRequest(ServerWebExchange exchange) {
		String state = state(exchange);
		if (state == null) {
			return Mono.empty();
		}
		return exchange.getSession().mapNotNull(session -> {
			LinkedHashMap<String, OAuth2AuthorizationRequest> pending = new LinkedHashMap<>(
					pending(session.getAttributes()));
			OAuth2AuthorizationRequest request = pending.remove(state);
			if (request != null) {
				if (pending.isEmpty()) {
					session.getAttributes().remove(ATTRIBUTE);
				}
				else {
					session.getAttributes().put(ATTRIBUTE, pending);
				}
				Object next = request.getAttribute(NEXT);
				exchange.getAttributes().put(NEXT_ATTRIBUTE, (next != null) ? next : NextPath.HOME);
			}
			return request;
		});
	}

	@SuppressWarnings("unchecked")
	private static Map<String, OAuth2AuthorizationRequest> pending(Map<String, Object> attributes) {
		Object value = attributes.get(ATTRIBUTE);
		return (value instanceof Map<?, ?> map) ? (Map<String, OAuth2AuthorizationRequest>) map : Map.of();
	}

	private static @Nullable String state(ServerWebExchange exchange) {
		return exchange.getRequest().getQueryParams().getFirst(OAuth2ParameterNames.STATE);
	}

}
