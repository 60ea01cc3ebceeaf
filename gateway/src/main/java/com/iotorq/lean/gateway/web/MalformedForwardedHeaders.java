package com.iotorq.lean.gateway.web;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

import com.iotorq.lean.gateway.observability.RequestLogContext;
import com.iotorq.lean.gateway.observability.TraceContextFilter;

/**
 * A trusted proxy's {@code X-Forwarded-Proto/-Host/-Port} that cannot be read (a port that is no
 * number, a host with a space, a scheme other than http or https) gets the gateway's 400 page or
 * problem+json with a reference, and is logged. Neither guessed nor ignored: the scheme and host
 * decide redirect URIs and which session cookie is read, and a request half-believed would fail
 * later and less clearly. {@link TrustedProxyForwardedHeaderTransformer} runs before an exchange
 * exists and cannot answer, so it marks the request and {@link Refusal} answers it.
 */
public final class MalformedForwardedHeaders {

	private MalformedForwardedHeaders() {
	}

	/** The request, marked as refused; its forwarded headers are already removed. */
	static ServerHttpRequest mark(ServerHttpRequest request) {
		return new Marked(request);
	}

	static boolean isMarked(ServerHttpRequest request) {
		return request instanceof Marked;
	}

	private static final class Marked extends ServerHttpRequestDecorator {

		Marked(ServerHttpRequest delegate) {
			super(delegate);
		}

	}

	/**
	 * Answers a marked request with 400. Runs before anything could replace the request the
	 * transformer returned (should something do so, the request goes on with the address it was
	 * received at, as if the malformed headers had not been sent), after the request id and the
	 * access log so the refusal has both.
	 */
	public static final class Refusal implements WebFilter, Ordered {

		public static final int ORDER = TraceContextFilter.ORDER + 2;

		private static final Logger logger = LoggerFactory.getLogger(MalformedForwardedHeaders.class);

		@Override
		public String toString() {
			// named in a checkpoint on every request: not Object.toString's hash formatting
			return "MalformedForwardedHeaders.Refusal";
		}

		@Override
		public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
			if (isMarked(exchange.getRequest())) {
				// the values are not logged: the ingress may have passed on what a client wrote
				RequestLogContext.log(exchange, () -> logger.warn("The trusted proxy {} sent a malformed "
						+ "X-Forwarded-Proto, -Host or -Port; the request was refused with 400",
						exchange.getRequest().getRemoteAddress()));
				return Mono.error(new GatewayException(ErrorCode.BAD_REQUEST,
						"The forwarded headers of this request (X-Forwarded-Proto, -Host or -Port) are malformed, so it was refused.",
						null));
			}
			return chain.filter(exchange);
		}

		@Override
		public int getOrder() {
			return ORDER;
		}

	}

}
