package com.iotorq.lean.gateway.observability;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import org.springframework.http.HttpStatus;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;

import com.iotorq.lean.gateway.config.BenchAblation;
import com.iotorq.lean.gateway.tenant.TenantAttributes;
import com.iotorq.lean.gateway.test.TestTenants;
import com.iotorq.lean.gateway.web.GatewayPaths;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The access line keeps its fields and is written by a background thread through a
 * bounded queue that drops (and counts) lines rather than block the caller; switched off,
 * it writes nothing.
 */
class AccessLogTests {

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	private final Sink sink = new Sink();

	private AccessLogAppender installed;

	@BeforeEach
	void routeAccessLogToSink() {
		new AccessLog(BenchAblation.none(), this.registry, GatewayPaths::loggable);
		this.installed = (AccessLogAppender) ((Logger) LoggerFactory.getLogger(AccessLog.LOGGER))
			.getAppender(AccessLogAppender.NAME);
		this.sink.setContext((LoggerContext) LoggerFactory.getILoggerFactory());
		this.sink.start();
		this.installed.addAppender(this.sink);
	}

	@AfterEach
	void detachSink() {
		this.installed.detachAppender(this.sink);
		this.sink.stop();
	}

	@Test
	void recordWhenSetupLinkThenTokenIsNotLogged() {
		String token = "Xb3k9Qm2Lr7Tz5Vw1Ny8Ps4Hd6Fg0Jc2Ka9Ue3Io7Yq1";
		MockServerWebExchange exchange = exchange("/oauth/setup/" + token);
		exchange.getResponse().setStatusCode(HttpStatus.FOUND);

		new AccessLog(BenchAblation.none(), this.registry, GatewayPaths::loggable).record(exchange, System.nanoTime());

		await().atMost(Duration.ofSeconds(5)).until(() -> !this.sink.events.isEmpty());
		assertThat(this.sink.events.get(0).getFormattedMessage()).startsWith("GET /oauth/setup/{token} 302 ")
			.doesNotContain(token);
	}

	@Test
	void recordWhenRequestThenLineWithFieldsWrittenByAnotherThread() {
		MockServerWebExchange exchange = exchange("/reports?code=secret");
		exchange.getResponse().setStatusCode(HttpStatus.NOT_FOUND);

		new AccessLog(BenchAblation.none(), this.registry, GatewayPaths::loggable).record(exchange,
				System.nanoTime() - 12_345_000);

		await().atMost(Duration.ofSeconds(5)).until(() -> !this.sink.events.isEmpty());
		ILoggingEvent event = this.sink.events.get(0);
		assertThat(event.getLoggerName()).isEqualTo("lean.access");
		assertThat(event.getFormattedMessage()).matches("GET /reports 404 12\\.\\d{3} ms").doesNotContain("secret");
		assertThat(event.getMDCPropertyMap())
			.containsEntry(RequestContext.REQUEST_ID, "4bf92f3577b34da6a3ce929d0e0e4736")
			.containsEntry(RequestContext.TENANT, "acme");
		// the event names the request's thread; the encoding and writing ran on the
		// worker
		assertThat(event.getThreadName()).isEqualTo(Thread.currentThread().getName());
		assertThat(this.sink.threads).doesNotContain(Thread.currentThread());
		assertThat(((Logger) LoggerFactory.getLogger(AccessLog.LOGGER)).isAdditive()).isFalse();
	}

	@Test
	void recordWhenAblatedThenNothingLogged() throws InterruptedException {
		new AccessLog(new BenchAblation(Set.of(BenchAblation.Feature.ACCESS_LOG)), this.registry,
				GatewayPaths::loggable)
			.record(exchange("/quiet"), System.nanoTime());
		new AccessLog(BenchAblation.none(), this.registry, GatewayPaths::loggable).record(exchange("/loud"),
				System.nanoTime());

		await().atMost(Duration.ofSeconds(5)).until(() -> !this.sink.events.isEmpty());
		Thread.sleep(100);
		assertThat(this.sink.events).extracting(ILoggingEvent::getFormattedMessage)
			.singleElement()
			.asString()
			.startsWith("GET /loud 200 ");
	}

	@Test
	void appendWhenWriterStuckThenCallerNeverWaitsAndDroppedLinesCounted() throws InterruptedException {
		CountDownLatch release = new CountDownLatch(1);
		AtomicInteger written = new AtomicInteger();
		AppenderBase<ILoggingEvent> stuck = new AppenderBase<>() {
			@Override
			protected void append(ILoggingEvent event) {
				try {
					release.await();
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
				written.incrementAndGet();
			}
		};
		LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
		stuck.setContext(context);
		stuck.start();
		AccessLogAppender appender = new AccessLogAppender();
		appender.setContext(context);
		appender.addAppender(stuck);
		appender.start();
		Logger logger = context.getLogger("lean.access.test");
		// the worker takes at most a queue's worth before it gets stuck, and the queue
		// fills up behind it
		int lines = 2 * AccessLogAppender.QUEUE_SIZE + 1_000;
		try {
			long started = System.nanoTime();
			for (int i = 0; i < lines; i++) {
				appender.doAppend(new ch.qos.logback.classic.spi.LoggingEvent(null, logger,
						ch.qos.logback.classic.Level.INFO, "line {}", null, new Object[] { i }));
			}
			assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
			assertThat(appender.discarded()).isBetween(1_000L, AccessLogAppender.QUEUE_SIZE + 1_000L);
		}
		finally {
			release.countDown();
		}
		// every line was either written or counted as dropped
		await().atMost(Duration.ofSeconds(10)).until(() -> written.get() + appender.discarded() == lines);
		appender.stop();
		stuck.stop();
	}

	private static MockServerWebExchange exchange(String path) {
		MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get(path));
		exchange.getAttributes().put(RequestContext.REQUEST_ID_ATTRIBUTE, "4bf92f3577b34da6a3ce929d0e0e4736");
		exchange.getAttributes().put(TenantAttributes.TENANT, TestTenants.tenant("acme"));
		return exchange;
	}

	/** Remembers what reached it, and on which threads. */
	private static final class Sink extends AppenderBase<ILoggingEvent> {

		final List<ILoggingEvent> events = new CopyOnWriteArrayList<>();

		final Set<Thread> threads = java.util.concurrent.ConcurrentHashMap.newKeySet();

		@Override
		protected void append(ILoggingEvent event) {
			this.threads.add(Thread.currentThread());
			this.events.add(event);
		}

	}

}
