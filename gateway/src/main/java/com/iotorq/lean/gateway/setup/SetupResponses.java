package com.iotorq.lean.gateway.setup;

import java.time.Duration;

import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseCookie;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.util.UriComponentsBuilder;

import com.iotorq.lean.gateway.web.GatewayPaths;

/**
 * The responses the setup page's steps share: redirects that are never cached, its
 * host-only HttpOnly cookies (Secure over https), and the redirect URI as this browser
 * reaches the organisation.
 */
final class SetupResponses {

	private SetupResponses() {
	}

	/**
	 * The callback as this browser reaches the organisation: what step 1 registers and
	 * the flows send.
	 */
	static String callbackUri(ServerWebExchange exchange) {
		return UriComponentsBuilder.fromUri(exchange.getRequest().getURI())
			.replacePath(GatewayPaths.CALLBACK)
			.replaceQuery(null)
			.fragment(null)
			.build()
			.toUriString();
	}

	static ResponseCookie cookie(ServerWebExchange exchange, String name, String value, String path, String sameSite,
			Duration maxAge) {
		return ResponseCookie.from(name, value)
			.path(path)
			.httpOnly(true)
			.secure("https".equals(exchange.getRequest().getURI().getScheme()))
			.sameSite(sameSite)
			.maxAge(maxAge)
			.build();
	}

	static Mono<Void> redirect(ServerWebExchange exchange, String location, HttpStatus status) {
		// deferred: callers write ".then(redirect(...))", and setComplete() starts
		// committing the response at once,
		// which would leave a failure of the step before it with a committed, empty 200
		// instead of its error page
		return Mono.defer(() -> {
			ServerHttpResponse response = exchange.getResponse();
			response.setStatusCode(status);
			response.getHeaders().set("Location", location);
			response.getHeaders().setCacheControl("no-store");
			return response.setComplete();
		});
	}

}
