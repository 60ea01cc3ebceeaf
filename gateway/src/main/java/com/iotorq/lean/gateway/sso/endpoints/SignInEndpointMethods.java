package com.iotorq.lean.gateway.sso.endpoints;

import java.util.LinkedHashSet;
import java.util.List;

import org.springframework.http.HttpMethod;
import org.springframework.web.server.ServerWebExchange;

import com.iotorq.lean.gateway.web.ErrorCode;
import com.iotorq.lean.gateway.web.GatewayException;
import com.iotorq.lean.gateway.web.GatewayPaths;

/**
 * The sign-in endpoints belong to the gateway: a method it does not answer them with (say
 * {@code PUT /oauth/complete/}, {@code POST /oauth/login}, {@code HEAD /oauth/login})
 * gets 405 with {@code Allow}, for every organisation and with or without a session,
 * instead of falling through to the backend. A 405 tells the client what is wrong;
 * sending it to sign in would only bring it back to the same refusal.
 */
public final class SignInEndpointMethods {

	private SignInEndpointMethods() {
	}

	/**
	 * @throws GatewayException (405, with {@code Allow}) when a sign-in endpoint is asked
	 * for with another method
	 */
	static void check(ServerWebExchange exchange) {
		List<HttpMethod> allowed = GatewayPaths.SIGN_IN_ENDPOINTS.get(exchange.getRequest().getPath().value());
		if (allowed != null && !allowed.contains(exchange.getRequest().getMethod())) {
			exchange.getResponse().getHeaders().setAllow(new LinkedHashSet<>(allowed));
			throw new GatewayException(ErrorCode.METHOD_NOT_ALLOWED);
		}
	}

}
