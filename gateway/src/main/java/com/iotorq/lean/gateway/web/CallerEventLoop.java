package com.iotorq.lean.gateway.web;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.internal.ThreadExecutorMap;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Brings the answer of a client that runs its own event loop (Lettuce, for Redis) back to the
 * event loop of the request that asked. Without it the rest of the request (the security chain,
 * routing, the backend call, writing the response) ran on Lettuce's single I/O thread, for every
 * request of every connection: one core did the work of all of them, and each write to a
 * request's own connection crossed threads.
 */
public final class CallerEventLoop {

	private static final Map<EventExecutor, Scheduler> schedulers = new ConcurrentHashMap<>();

	private CallerEventLoop() {
	}

	/** The source, emitting on the event loop that subscribes to it (as is when not subscribed from one). */
	public static <T> Mono<T> resumeOn(Mono<T> source) {
		return Mono.defer(() -> {
			EventExecutor loop = ThreadExecutorMap.currentExecutor();
			return (loop != null) ? source.publishOn(schedulers.computeIfAbsent(loop, Schedulers::fromExecutor)) : source;
		});
	}

}
