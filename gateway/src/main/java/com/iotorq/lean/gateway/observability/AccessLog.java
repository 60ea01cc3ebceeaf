package com.iotorq.lean.gateway.observability;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.http.HttpStatusCode;
import org.springframework.web.server.ServerWebExchange;

import com.iotorq.lean.gateway.config.BenchAblation;

/**
 * One access log line per public request: method, path, status and latency. Never the query
 * string (it carries authorization codes and state at the callback), nor headers or cookies.
 * Logger {@code lean.access}, so operators can route or silence it on its own.
 */
public final class AccessLog {

	private static final Logger access = LoggerFactory.getLogger("lean.access");

	private final boolean on;

	public AccessLog(BenchAblation ablation) {
		this.on = ablation.isOn(BenchAblation.Feature.ACCESS_LOG);
	}

	/** Logs the request as its response is sent. */
	public void record(ServerWebExchange exchange, long startedNanos) {
		if (!this.on || !access.isInfoEnabled()) {
			return;
		}
		HttpStatusCode status = exchange.getResponse().getStatusCode();
		long micros = (System.nanoTime() - startedNanos) / 1_000;
		RequestLogContext.log(exchange, () -> access.info("{} {} {} {} ms", exchange.getRequest().getMethod(),
				exchange.getRequest().getPath().value(), (status != null) ? status.value() : 200, millis(micros)));
	}

	/** 12.345 from 12345 µs; String.format was a tenth of the cost of the line. */
	static String millis(long micros) {
		String fraction = Long.toString(1000 + micros % 1000);
		return (micros / 1000) + "." + fraction.substring(1);
	}

}
