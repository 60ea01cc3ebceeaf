package com.iotorq.lean.gateway.observability;

import java.io.OutputStream;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.AppenderBase;
import ch.qos.logback.core.OutputStreamAppender;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.slf4j.LoggerFactory;

import org.springframework.boot.logging.logback.StructuredLogEncoder;
import org.springframework.core.env.Environment;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.http.HttpStatus;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;

import com.iotorq.lean.gateway.config.BenchAblation;
import com.iotorq.lean.gateway.tenant.Tenant;
import com.iotorq.lean.gateway.tenant.TenantAttributes;
import com.iotorq.lean.gateway.web.GatewayPaths;

/**
 * The access log line of one request on the calling thread (issue #14: at most 5 µs).
 * <ul>
 * <li>{@code record}: {@link AccessLog#record} as the gateway runs it, through
 * {@link AccessLogAppender}: the event built, its message and MDC captured, queued. The
 * destination behind the queue is a no-op here so that the worker keeps up and every line
 * is really queued (a full queue would drop lines, a cheaper path that would flatter the
 * figure); the teardown prints how many were dropped.</li>
 * <li>{@code encodeEcs}: what the worker then does per line, Spring Boot's ECS JSON
 * encoder on a prepared event: the cost that left the event loop.</li>
 * <li>{@code recordSynchronous}: the line as it was written before, the same statement
 * encoded as ECS JSON and written on the calling thread (to a null stream: no I/O in
 * either figure).</li>
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class AccessLogBenchmark {

	private AccessLog accessLog;

	private AccessLogAppender queue;

	private Logger synchronous;

	private StructuredLogEncoder ecs;

	private ILoggingEvent prepared;

	private MockServerWebExchange exchange;

	private long started;

	@Setup(Level.Trial)
	public void setUp() {
		LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
		context.reset();
		context.putObject(Environment.class.getName(), new StandardEnvironment());
		this.ecs = new StructuredLogEncoder();
		this.ecs.setContext(context);
		this.ecs.setFormat("ecs");
		this.ecs.start();

		// the gateway's access log: lean.access through the queue to the root's
		// destination
		AppenderBase<ILoggingEvent> noOp = new AppenderBase<>() {
			@Override
			protected void append(ILoggingEvent event) {
			}
		};
		noOp.setContext(context);
		noOp.start();
		Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
		root.setLevel(ch.qos.logback.classic.Level.INFO);
		root.addAppender(noOp);
		this.accessLog = new AccessLog(BenchAblation.none(), new SimpleMeterRegistry(), GatewayPaths::loggable);
		this.queue = (AccessLogAppender) context.getLogger(AccessLog.LOGGER).getAppender(AccessLogAppender.NAME);

		// the line as it was: encoded and written by the caller
		OutputStreamAppender<ILoggingEvent> console = new OutputStreamAppender<>();
		console.setContext(context);
		console.setEncoder(this.ecs);
		console.setOutputStream(OutputStream.nullOutputStream());
		console.start();
		this.synchronous = context.getLogger("lean.access.synchronous");
		this.synchronous.setAdditive(false);
		this.synchronous.addAppender(console);

		this.exchange = MockServerWebExchange
			.from(MockServerHttpRequest.get("/reports/2026/q4?page=2").header("Host", "acme.iotorq-lean.com"));
		this.exchange.getResponse().setStatusCode(HttpStatus.OK);
		this.exchange.getAttributes().put(RequestContext.REQUEST_ID_ATTRIBUTE, "4bf92f3577b34da6a3ce929d0e0e4736");
		this.exchange.getAttributes()
			.put(TenantAttributes.TENANT,
					new Tenant(UUID.randomUUID(), "acme", "Acme", null, Instant.EPOCH, Instant.EPOCH, null));
		this.started = System.nanoTime();

		LoggingEvent event = new LoggingEvent(Logger.FQCN, context.getLogger(AccessLog.LOGGER),
				ch.qos.logback.classic.Level.INFO, "{} {} {} {} ms", null,
				new Object[] { "GET", "/reports/2026/q4", 200, "12.345" });
		RequestLogContext.log(this.exchange, event::prepareForDeferredProcessing);
		this.prepared = event;
	}

	@TearDown(Level.Trial)
	public void tearDown() {
		System.out.println("access log lines dropped (queue full): " + this.queue.discarded());
	}

	@Benchmark
	public void record() {
		this.accessLog.record(this.exchange, this.started);
	}

	@Benchmark
	public byte[] encodeEcs() {
		return this.ecs.encode(this.prepared);
	}

	@Benchmark
	public void recordSynchronous() {
		long micros = (System.nanoTime() - this.started) / 1_000;
		MockServerWebExchange exchange = this.exchange;
		RequestLogContext.log(exchange,
				() -> this.synchronous.info("{} {} {} {} ms", exchange.getRequest().getMethod(),
						exchange.getRequest().getPath().value(), exchange.getResponse().getStatusCode().value(),
						AccessLog.millis(micros)));
	}

}
