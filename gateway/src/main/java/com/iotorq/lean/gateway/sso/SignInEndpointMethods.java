package com.iotorq.lean.gateway.sso;

import java.util.LinkedHashSet;
import java.util.List;

import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.http.HttpMethod;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

import com.iotorq.lean.gateway.web.ErrorCode;
import com.iotorq.lean.gateway.web.GatewayException;
import com.iotorq.lean.gateway.web.GatewayPaths;
import com.iotorq.lean.gateway.web.ManagementRequests;

/**
 * The sign-in endpoints belong to the gateway: a method it does not answer them with (say
 * {@code PUT /oauth/complete/}, {@code POST /oauth/login}, {@code HEAD /oauth/login}) gets 405 with
 * {@code Allow}, for every organisation and with or without a session, instead of falling through
 * to the backend. A 405 tells the client what is wrong; sending it to sign in would only bring it
 * back to the same refusal.
 */
public final class SignInEndpointMethods implements WebFilter, Ordered {

	/** After tenant resolution and before the sign-in limit: a refused method starts no sign-in. */
	public static final int ORDER = SignInRequestLimits.ORDER - 1;

	@Override
	public String toString() {
		// named in a checkpoint on every request: not Object.toString's hash formatting
		return "SignInEndpointMethods";
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		List<HttpMethod> allowed = GatewayPaths.SIGN_IN_ENDPOINTS.get(exchange.getRequest().getPath().value());
		if (allowed == null || allowed.contains(exchange.getRequest().getMethod())
				|| ManagementRequests.isManagement(exchange)) {
			return chain.filter(exchange);
		}
		exchange.getResponse().getHeaders().setAllow(new LinkedHashSet<>(allowed));
		return Mono.error(new GatewayException(ErrorCode.METHOD_NOT_ALLOWED));
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

}
