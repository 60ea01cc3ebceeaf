package com.iotorq.lean.gateway.sso.login;

import java.net.URI;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.server.ServerAuthenticationEntryPoint;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.util.UriComponentsBuilder;

import com.iotorq.lean.gateway.sso.oidc.NextPath;
import com.iotorq.lean.gateway.web.ClientExpectations;
import com.iotorq.lean.gateway.web.ErrorCode;
import com.iotorq.lean.gateway.web.ErrorReport;
import com.iotorq.lean.gateway.web.ErrorResponses;
import com.iotorq.lean.gateway.web.GatewayPaths;

/**
 * What a request that needs a signed-in user gets without one: scripts get 401
 * problem+json, people are sent to sign in and then back to the page they asked for.
 */
public final class SignInEntryPoint implements ServerAuthenticationEntryPoint {

	@Override
	public Mono<Void> commence(ServerWebExchange exchange, @Nullable AuthenticationException ex) {
		ServerHttpRequest request = exchange.getRequest();
		if (ClientExpectations.wantsJson(request)) {
			return ErrorResponses.write(exchange, ErrorReport.of(ErrorCode.UNAUTHENTICATED,
					"This request needs a signed-in user. Sign in at " + GatewayPaths.LOGIN + " first."));
		}
		String next = request.getPath().pathWithinApplication().value()
				+ ((request.getURI().getRawQuery() != null) ? "?" + request.getURI().getRawQuery() : "");
		URI login = UriComponentsBuilder.fromPath(GatewayPaths.LOGIN)
			.queryParam("next", NextPath.sanitize(next))
			.encode()
			.build()
			.toUri();
		exchange.getResponse().setStatusCode(HttpStatus.FOUND);
		exchange.getResponse().getHeaders().setLocation(login);
		exchange.getResponse().getHeaders().set(HttpHeaders.CACHE_CONTROL, "no-store");
		return exchange.getResponse().setComplete();
	}

}
