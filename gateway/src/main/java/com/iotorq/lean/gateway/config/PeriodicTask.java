package com.iotorq.lean.gateway.config;

import java.time.Duration;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.context.SmartLifecycle;

/**
 * Runs a reactive job at a fixed interval while the application runs: ticks come from a
 * Reactor timer, runs never overlap (a tick during a run is dropped), and a failed run is
 * logged and retried at the next tick. Nothing blocks an event loop or a timer thread.
 */
public final class PeriodicTask implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(PeriodicTask.class);

	private final String name;

	private final Duration initialDelay;

	private final Duration interval;

	private final Supplier<Mono<?>> job;

	private volatile @Nullable Disposable running;

	/**
	 * @param name for the log
	 * @param initialDelay the first run after start
	 * @param interval between the starts of two runs
	 * @param job one run
	 */
	public PeriodicTask(String name, Duration initialDelay, Duration interval, Supplier<Mono<?>> job) {
		this.name = name;
		this.initialDelay = initialDelay;
		this.interval = interval;
		this.job = job;
	}

	@Override
	public synchronized void start() {
		if (this.running != null) {
			return;
		}
		this.running = Flux.interval(this.initialDelay, this.interval, Schedulers.parallel())
			.onBackpressureDrop()
			.concatMap(tick -> Mono.defer(this.job).onErrorResume(ex -> {
				logger.warn("Periodic task '{}' failed; it runs again in {}: {}", this.name, this.interval,
						ex.toString());
				return Mono.empty();
			}), 0)
			.subscribe();
	}

	@Override
	public synchronized void stop() {
		Disposable current = this.running;
		this.running = null;
		if (current != null) {
			current.dispose();
		}
	}

	@Override
	public boolean isRunning() {
		return this.running != null;
	}

	@Override
	public String toString() {
		return "PeriodicTask[" + this.name + " every " + this.interval + "]";
	}

}
