package com.iotorq.lean.gateway.test;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilterChain;

/**
 * The rest of the chain, for a unit test of one filter: remembers the exchange it was
 * called with, if any, and completes without writing a response.
 */
public final class CapturingChain implements WebFilterChain, GatewayFilterChain {

	private @Nullable ServerWebExchange exchange;

	private int calls;

	@Override
	public Mono<Void> filter(ServerWebExchange exchange) {
		return Mono.fromRunnable(() -> {
			this.exchange = exchange;
			this.calls++;
		});
	}

	/** Whether the filter passed the request on. */
	public boolean called() {
		return this.calls > 0;
	}

	/** How often the filter passed the request on. */
	public int calls() {
		return this.calls;
	}

	/** The exchange the filter passed on; fails when it passed none. */
	public ServerWebExchange exchange() {
		if (this.exchange == null) {
			throw new AssertionError("the chain was not called");
		}
		return this.exchange;
	}

}
