package com.iotorq.lean.gateway.web;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.security.web.server.firewall.ServerExchangeRejectedException;
import org.springframework.security.web.server.firewall.ServerWebExchangeFirewall;
import org.springframework.security.web.server.firewall.StrictServerWebExchangeFirewall;
import org.springframework.web.server.ServerWebExchange;

import com.iotorq.lean.gateway.observability.RequestLogContext;

/**
 * The pipeline's firewall step, before anything decides on the request:
 * <ul>
 * <li>a trusted proxy's unreadable {@code X-Forwarded-Proto/-Host/-Port}
 * ({@link MalformedForwardedHeaders}) get 400;</li>
 * <li>a context path gets 500: every step decides on the path within the application
 * while Spring Cloud Gateway forwards the whole path, so with one a path that is blocked
 * or needs a session could reach a backend as another (no header can set one,
 * {@link TrustedProxyForwardedHeaderTransformer}; {@code spring.webflux.base-path}
 * could);</li>
 * <li>the path gets one spelling ({@link UnreservedPathDecoding});</li>
 * <li>Spring Security's {@link StrictServerWebExchangeFirewall} refuses encoded slashes,
 * {@code ..}, {@code ;}, control characters in headers and the like with 400, and checks
 * response headers for CR/LF. Its checks run synchronously ({@code Mono.fromCallable}),
 * so their answer is taken at once.</li>
 * </ul>
 */
public final class PublicFirewall {

	private static final Logger logger = LoggerFactory.getLogger(PublicFirewall.class);

	private final ServerWebExchangeFirewall strict = new StrictServerWebExchangeFirewall();

	/**
	 * @return the exchange to go on with: its path decoded, its headers checked as they
	 * are read
	 * @throws GatewayException when the request is refused
	 */
	public ServerWebExchange check(ServerWebExchange exchange) {
		if (MalformedForwardedHeaders.isMarked(exchange.getRequest())) {
			// the values are not logged: the ingress may have passed on what a client
			// wrote
			RequestLogContext.log(exchange,
					() -> logger.warn(
							"The trusted proxy {} sent a malformed "
									+ "X-Forwarded-Proto, -Host or -Port; the request was refused with 400",
							exchange.getRequest().getRemoteAddress()));
			throw new GatewayException(ErrorCode.BAD_REQUEST,
					"The forwarded headers of this request (X-Forwarded-Proto, -Host or -Port) are malformed, so it was refused.",
					null);
		}
		if (!exchange.getRequest().getPath().contextPath().value().isEmpty()) {
			throw new GatewayException(ErrorCode.INTERNAL_ERROR,
					"The gateway is configured with a context path, which it does not support.", null);
		}
		return strict(UnreservedPathDecoding.decoded(exchange));
	}

	private ServerWebExchange strict(ServerWebExchange exchange) {
		CompletableFuture<ServerWebExchange> checked = this.strict.getFirewalledExchange(exchange).toFuture();
		try {
			ServerWebExchange firewalled = checked.getNow(null);
			if (firewalled == null) {
				throw new IllegalStateException("Spring Security's firewall no longer answers synchronously");
			}
			return firewalled;
		}
		catch (CompletionException ex) {
			if (ex.getCause() instanceof ServerExchangeRejectedException) {
				// the firewall's reason is not shown: it echoes what the client sent
				throw new GatewayException(ErrorCode.BAD_REQUEST,
						"The address or headers of this request are malformed, so it was refused.", null);
			}
			throw ex;
		}
	}

}
