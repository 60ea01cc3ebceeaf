package com.iotorq.lean.gateway.web;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;

class CallerEventLoopTests {

	private final EventLoop request = new DefaultEventLoop();

	private final EventLoop client = new DefaultEventLoop();

	@AfterEach
	void shutDown() {
		this.request.shutdownGracefully(0, 1, TimeUnit.SECONDS);
		this.client.shutdownGracefully(0, 1, TimeUnit.SECONDS);
	}

	@Test
	void resumeOnWhenAnswerArrivesOnAnotherLoopThenEmittedOnTheSubscribersLoop() throws Exception {
		Mono<Thread> answeredByClient = Mono
			.create(sink -> this.client.execute(() -> sink.success(Thread.currentThread())));
		CompletableFuture<Thread[]> threads = new CompletableFuture<>();
		this.request.execute(() -> CallerEventLoop.resumeOn(answeredByClient)
			.subscribe(answeredOn -> threads.complete(new Thread[] { answeredOn, Thread.currentThread() })));
		Thread[] seen = threads.get(5, TimeUnit.SECONDS);
		assertThat(seen[0]).isNotSameAs(seen[1]);
		assertThat(this.request.inEventLoop(seen[1])).isTrue();
	}

	@Test
	void resumeOnWhenAnswerArrivesOnTheSubscribersLoopThenEmittedAtOnce() throws Exception {
		CompletableFuture<Boolean> emittedWithinTheTask = new CompletableFuture<>();
		this.request.execute(() -> {
			AtomicReference<String> answer = new AtomicReference<>();
			CallerEventLoop.resumeOn(Mono.just("x")).subscribe(answer::set);
			emittedWithinTheTask.complete("x".equals(answer.get()));
		});
		assertThat(emittedWithinTheTask.get(5, TimeUnit.SECONDS)).isTrue();
	}

	@Test
	void resumeOnWhenNotSubscribedFromAnEventLoopThenAsIs() {
		Mono<String> answer = Mono.just("x").delayElement(Duration.ofMillis(1));
		assertThat(CallerEventLoop.resumeOn(answer).block(Duration.ofSeconds(5))).isEqualTo("x");
	}

}
