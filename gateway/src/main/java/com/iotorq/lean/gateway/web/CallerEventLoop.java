package com.iotorq.lean.gateway.web;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.internal.ThreadExecutorMap;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Brings the answer of a client that runs its own event loop (Lettuce, for Redis) back to
 * the event loop of the request that asked. Without it the rest of the request (the
 * security chain, routing, the backend call, writing the response) ran on Lettuce's
 * single I/O thread, for every request of every connection: one core did the work of all
 * of them, and each write to a request's own connection crossed threads.
 */
public final class CallerEventLoop {

	private static final Map<EventExecutor, Scheduler> schedulers = new ConcurrentHashMap<>();

	private CallerEventLoop() {
	}

	/**
	 * The source, emitting on the event loop that subscribes to it (as is when not
	 * subscribed from one).
	 */
	public static <T> Mono<T> resumeOn(Mono<T> source) {
		return Mono.defer(() -> {
			EventExecutor loop = ThreadExecutorMap.currentExecutor();
			return (loop != null) ? resumeOn(source, loop) : source;
		});
	}

	/**
	 * The source, emitting on the given event loop: at once when its signal arrives on
	 * that loop, else as a task of that loop.
	 */
	public static <T> Mono<T> resumeOn(Mono<T> source, EventExecutor loop) {
		return source.publishOn(schedulers.computeIfAbsent(loop, CallerEventLoop::scheduler));
	}

	private static Scheduler scheduler(EventExecutor loop) {
		// no extra task (and no reordering) for what already happens on the loop
		return Schedulers.fromExecutor(task -> {
			if (loop.inEventLoop()) {
				task.run();
			}
			else {
				loop.execute(task);
			}
		});
	}

}
