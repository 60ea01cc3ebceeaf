package com.iotorq.lean.gateway.test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.blockhound.BlockingOperationError;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.resources.LoopResources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Proves the BlockHound guard is on in this JVM, so that nobody loses it silently: a deliberate
 * {@code Thread.sleep} on a Reactor parallel thread or a Netty event loop is caught, also when the reactive
 * chain swallows the error, and the check that fails a test names the blocking call and where it was made.
 * Each test consumes what it recorded, so {@link BlockingCallsExtension} does not fail it.
 */
class BlockingCallsGuardTests {

	private final LoopResources loops = LoopResources.create("blocking-guard-test", 1, true);

	@AfterEach
	void disposeLoops() {
		this.loops.disposeLater().block(Duration.ofSeconds(5));
	}

	@Test
	void sleepOnParallelThreadWhenCalledThenTheCallFails() {
		Mono<Void> sleeping = Mono.<Void>fromRunnable(BlockingCallsGuardTests::sleep).subscribeOn(Schedulers.parallel());

		assertThatThrownBy(() -> sleeping.block(Duration.ofSeconds(5)))
			.hasRootCauseInstanceOf(BlockingOperationError.class)
			.hasMessageContaining("Blocking call! java.lang.Thread.sleep");
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> BlockingCallsGuard.assertNoBlockingCalls("in this test"))
			.withMessageContaining("java.lang.Thread.sleep on thread parallel-")
			.withMessageContaining("called from com.iotorq.lean.gateway.test.BlockingCallsGuardTests.sleep(");
	}

	@Test
	void sleepOnParallelThreadWhenTheChainSwallowsTheErrorThenTheTestStillFails() {
		String answer = Mono.fromCallable(() -> {
			sleep();
			return "slept";
		}).subscribeOn(Schedulers.parallel()).onErrorReturn("500 Internal Server Error").block(Duration.ofSeconds(5));

		assertThat(answer).isEqualTo("500 Internal Server Error");
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> BlockingCallsGuard.assertNoBlockingCalls("in this test"))
			.withMessageContaining("1 blocking call(s) on a non-blocking thread in this test")
			.withCauseInstanceOf(BlockingOperationError.class);
	}

	@Test
	void sleepOnNettyEventLoopWhenCalledThenTheCallFails() throws Exception {
		CompletableFuture<Throwable> thrown = new CompletableFuture<>();
		this.loops.onServer(true).next().execute(() -> {
			try {
				sleep();
				thrown.complete(null);
			}
			catch (Throwable ex) {
				thrown.complete(ex);
			}
		});

		assertThat(thrown.get(5, TimeUnit.SECONDS)).isInstanceOf(BlockingOperationError.class);
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> BlockingCallsGuard.assertNoBlockingCalls("in this test"))
			.withMessageContaining("on thread blocking-guard-test-");
	}

	@Test
	void sleepOnBoundedElasticWhenCalledThenNothingIsRecorded() {
		Mono.fromRunnable(BlockingCallsGuardTests::sleep).subscribeOn(Schedulers.boundedElastic())
			.block(Duration.ofSeconds(5));

		assertThatNoException().isThrownBy(() -> BlockingCallsGuard.assertNoBlockingCalls("in this test"));
	}

	private static void sleep() {
		try {
			Thread.sleep(1);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
