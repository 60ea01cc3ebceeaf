package com.iotorq.lean.gateway.observability;

import java.util.function.UnaryOperator;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.http.HttpStatusCode;
import org.springframework.web.server.ServerWebExchange;

import com.iotorq.lean.gateway.config.BenchAblation;

/**
 * One access log line per public request: method, path, status and latency, with the
 * request id and tenant in the MDC (ECS fields {@code requestId}, {@code tenant}). Never
 * the query string (it carries authorization codes and state at the callback), nor
 * headers or cookies, nor the token of a setup link (the gateway's paths say which are
 * loggable). Logger {@code lean.access}, so operators can route or silence it on its own;
 * silenced, a line costs a level check.
 * <p>
 * The calling thread (an event loop) only builds the event and queues it: the JSON
 * encoding and the write run on {@link AccessLogAppender}'s worker, a bounded queue that
 * drops lines rather than wait.
 */
public final class AccessLog {

	static final String LOGGER = "lean.access";

	private static final Logger access = LoggerFactory.getLogger(LOGGER);

	private final boolean enabled;

	private final UnaryOperator<String> loggablePath;

	/**
	 * @param loggablePath a request path as it may be logged, secrets in it replaced
	 */
	public AccessLog(BenchAblation ablation, MeterRegistry registry, UnaryOperator<String> loggablePath) {
		this.loggablePath = loggablePath;
		this.enabled = ablation.isOn(BenchAblation.Feature.ACCESS_LOG);
		AccessLogAppender appender = this.enabled ? AccessLogAppender.install(LOGGER) : null;
		if (appender != null) {
			FunctionCounter.builder("lean.access.log.discarded", appender, AccessLogAppender::discarded)
				.description("Access log lines dropped because the asynchronous writer's queue was full")
				.register(registry);
		}
	}

	/**
	 * Logs the line of a request whose response status is set (200 when none was).
	 * @param startedNanos {@link System#nanoTime()} when the request arrived
	 */
	public void record(ServerWebExchange exchange, long startedNanos) {
		if (!this.enabled || !access.isInfoEnabled()) {
			return;
		}
		long micros = (System.nanoTime() - startedNanos) / 1_000;
		HttpStatusCode status = exchange.getResponse().getStatusCode();
		// set from the exchange: a response may be committed outside the request's
		// Reactor context
		RequestLogContext.log(exchange,
				() -> access.info("{} {} {} {} ms", exchange.getRequest().getMethod(),
						this.loggablePath.apply(exchange.getRequest().getPath().value()),
						(status != null) ? status.value() : 200, millis(micros)));
	}

	/** 12.345 from 12345 µs; String.format was a tenth of the cost of the line. */
	static String millis(long micros) {
		String fraction = Long.toString(1000 + micros % 1000);
		return (micros / 1000) + "." + fraction.substring(1);
	}

}
