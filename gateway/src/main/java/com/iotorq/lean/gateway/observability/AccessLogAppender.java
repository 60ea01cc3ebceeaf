package com.iotorq.lean.gateway.observability;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import ch.qos.logback.core.spi.AppenderAttachableImpl;
import org.jspecify.annotations.Nullable;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

/**
 * Writes the access log ({@code lean.access}) from a background thread: the caller only
 * queues the event, and the encoding (ECS JSON) and the write happen on Logback's worker.
 * The queue is bounded and never blocks an event loop: when it is full, lines are dropped
 * and counted ({@link #discarded()}, {@code lean_access_log_discarded_total}).
 * <p>
 * {@link #install} wraps the root logger's appenders (the console, and the file when one
 * is configured) for {@code lean.access} only, so its lines keep their format and
 * destination. A {@code lean.access} logger that has appenders of its own (an operator's
 * Logback file) is left as it is.
 */
public final class AccessLogAppender extends AsyncAppender {

	static final String NAME = "LEAN_ACCESS_ASYNC";

	/** Lines: a few seconds of a busy replica's requests before any is dropped. */
	static final int QUEUE_SIZE = 16_384;

	private final LongAdder discarded = new LongAdder();

	/**
	 * Logback's asynchronous appender takes one appender; this one hands each line to
	 * several.
	 */
	private final Targets targets = new Targets();

	AccessLogAppender() {
		super.addAppender(this.targets);
		setName(NAME);
		setQueueSize(QUEUE_SIZE);
		// never wait for room on the calling thread (an event loop), and keep INFO lines
		// until the
		// queue is really full (the default drops them at 80 %)
		setNeverBlock(true);
		setDiscardingThreshold(0);
		setIncludeCallerData(false);
	}

	/**
	 * Adds a destination of the lines (a root appender; {@code AsyncAppender} allows one
	 * only).
	 */
	@Override
	public void addAppender(Appender<ILoggingEvent> target) {
		this.targets.destinations.addAppender(target);
	}

	@Override
	public boolean detachAppender(Appender<ILoggingEvent> target) {
		return this.targets.destinations.detachAppender(target);
	}

	@Override
	public void start() {
		this.targets.setContext(getContext());
		this.targets.start();
		super.start();
	}

	@Override
	protected void append(ILoggingEvent event) {
		// racy by a line or two under contention: a count, not an audit
		if (getRemainingCapacity() == 0) {
			this.discarded.increment();
			return;
		}
		super.append(event);
	}

	/** Lines dropped because the queue was full, since start. */
	public long discarded() {
		return this.discarded.sum();
	}

	/**
	 * Routes {@code lean.access} through the one asynchronous appender of this logging
	 * context, created at the first call; the same one later (several application
	 * contexts share Logback).
	 * @return the appender, or {@code null} when Logback is not the logging backend or an
	 * operator configured {@code lean.access} on their own
	 */
	static synchronized @Nullable AccessLogAppender install(String loggerName) {
		ILoggerFactory factory = LoggerFactory.getILoggerFactory();
		if (!(factory instanceof LoggerContext context)) {
			return null;
		}
		Logger logger = context.getLogger(loggerName);
		if (logger.getAppender(NAME) instanceof AccessLogAppender installed && installed.isStarted()) {
			return installed;
		}
		if (logger.iteratorForAppenders().hasNext()) {
			return null;
		}
		List<Appender<ILoggingEvent>> targets = new ArrayList<>();
		for (Iterator<Appender<ILoggingEvent>> it = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)
			.iteratorForAppenders(); it.hasNext();) {
			targets.add(it.next());
		}
		if (targets.isEmpty()) {
			return null;
		}
		AccessLogAppender appender = new AccessLogAppender();
		appender.setContext(context);
		targets.forEach(appender::addAppender);
		appender.start();
		logger.addAppender(appender);
		logger.setAdditive(false);
		return appender;
	}

	/**
	 * The destinations, written in turn on the worker thread. Stopping the access log
	 * does not stop them: they are the root logger's.
	 */
	private static final class Targets extends UnsynchronizedAppenderBase<ILoggingEvent> {

		final AppenderAttachableImpl<ILoggingEvent> destinations = new AppenderAttachableImpl<>();

		Targets() {
			setName(NAME + "_TARGETS");
		}

		@Override
		protected void append(ILoggingEvent event) {
			this.destinations.appendLoopOnAppenders(event);
		}

	}

}
