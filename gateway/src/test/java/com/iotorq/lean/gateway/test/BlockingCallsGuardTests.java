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

/**
 * Proves the BlockHound guard is on in this JVM, so that nobody loses it silently: a
 * deliberate {@code Thread.sleep} on a Reactor parallel thread or a Netty event loop is
 * caught, although the call itself succeeds, and the check that fails a test names the
 * blocking call and where it was made. Each test consumes what it recorded, so
 * {@link BlockingCallsExtension} does not fail it.
 */
class BlockingCallsGuardTests {

	private final LoopResources loops = LoopResources.create("blocking-guard-test", 1, true);

	@AfterEach
	void disposeLoops() {
		this.loops.disposeLater().block(Duration.ofSeconds(5));
	}

	@Test
	void sleepOnParallelThreadWhenCalledThenTheTestFailsNamingTheCallAndWhereItWasMade() {
		String answer = Mono.fromCallable(() -> {
			sleep();
			return "answered";
		}).subscribeOn(Schedulers.parallel()).block(Duration.ofSeconds(5));

		// the call itself goes on (failing it could leave a library's lock half-taken)
		// ...
		assertThat(answer).isEqualTo("answered");
		// ... and the check after each test fails with the call's stack
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> BlockingCallsGuard.assertNoBlockingCalls("in this test"))
			.withMessageContaining("BlockHound: 1 blocking call(s) on a non-blocking thread in this test")
			.withMessageContaining("java.lang.Thread.sleep on thread parallel-")
			.withMessageContaining("called from com.iotorq.lean.gateway.test.BlockingCallsGuardTests.sleep(")
			.havingCause()
			.isInstanceOf(BlockingOperationError.class)
			.satisfies((cause) -> assertThat(cause.getStackTrace()[0].getMethodName()).isEqualTo("sleep"));
	}

	@Test
	void sleepOnNettyEventLoopWhenCalledThenTheTestFails() throws Exception {
		CompletableFuture<Void> slept = new CompletableFuture<>();
		this.loops.onServer(true).next().execute(() -> {
			sleep();
			slept.complete(null);
		});
		slept.get(5, TimeUnit.SECONDS);

		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> BlockingCallsGuard.assertNoBlockingCalls("in this test"))
			.withMessageContaining("java.lang.Thread.sleep on thread blocking-guard-test-");
	}

	@Test
	void sleepOnBoundedElasticWhenCalledThenNothingIsRecorded() {
		Mono.fromRunnable(BlockingCallsGuardTests::sleep)
			.subscribeOn(Schedulers.boundedElastic())
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
