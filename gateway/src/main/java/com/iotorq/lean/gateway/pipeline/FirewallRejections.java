package com.iotorq.lean.gateway.pipeline;

import reactor.core.publisher.Mono;

import org.springframework.security.web.server.firewall.ServerExchangeRejectedException;
import org.springframework.security.web.server.firewall.ServerExchangeRejectedHandler;
import org.springframework.web.server.ServerWebExchange;

import com.iotorq.lean.gateway.web.ErrorCode;
import com.iotorq.lean.gateway.web.ErrorReport;
import com.iotorq.lean.gateway.web.ErrorResponses;

/**
 * A request Spring Security's firewall refuses (an encoded slash, {@code ..}, {@code ;}
 * in the path, a control character in a header) gets the gateway's 400 page or
 * problem+json, with its reference, instead of Spring Security's empty 400. The
 * firewall's reason is not shown: it echoes what the client sent.
 */
final class FirewallRejections implements ServerExchangeRejectedHandler {

	@Override
	public Mono<Void> handle(ServerWebExchange exchange, ServerExchangeRejectedException rejected) {
		return ErrorResponses.write(exchange, ErrorReport.of(ErrorCode.BAD_REQUEST,
				"The address or headers of this request are malformed, so it was refused."));
	}

}
