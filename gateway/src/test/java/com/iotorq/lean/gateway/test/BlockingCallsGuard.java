package com.iotorq.lean.gateway.test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

import reactor.blockhound.BlockHound;
import reactor.blockhound.BlockingMethod;
import reactor.blockhound.BlockingOperationError;

/**
 * BlockHound in the test JVM: any blocking call (sleep, file or socket I/O, waiting on a
 * lock) on a thread that must not block (Netty's event loops, Reactor's parallel and
 * single schedulers) is recorded, and {@link BlockingCallsExtension} fails the test it
 * happened in, with the stack of each call. Recording, rather than failing the call, also
 * catches what a reactive chain would swallow into a 500, an error page or a log line.
 * Installed once per JVM with the integrations found by {@code ServiceLoader}: Reactor's,
 * Netty's, Spring's and {@link GatewayBlockHoundIntegration}, this project's allowances.
 */
public final class BlockingCallsGuard {

	private static final String PRODUCT_PACKAGE = "com.iotorq.lean.gateway.";

	private static final AtomicBoolean installed = new AtomicBoolean();

	private static final ConcurrentLinkedQueue<Violation> violations = new ConcurrentLinkedQueue<>();

	private BlockingCallsGuard() {
	}

	/** Installs BlockHound, once per JVM; later calls do nothing. */
	public static void install() {
		if (installed.compareAndSet(false, true)) {
			BlockHound.builder().loadIntegrations().blockingMethodCallback(BlockingCallsGuard::blocked).install();
		}
	}

	/**
	 * Fails with every blocking call recorded since the last check, and forgets them.
	 * @param when where the calls were recorded, for the message ("in this test", …)
	 * @throws AssertionError naming each blocking method, its thread and the product call
	 * that made it, with the first call's stack as the cause
	 */
	public static void assertNoBlockingCalls(String when) {
		List<Violation> found = drain();
		if (found.isEmpty()) {
			return;
		}
		Map<String, Integer> distinct = new LinkedHashMap<>();
		for (Violation violation : found) {
			distinct.merge(violation.describe(), 1, Integer::sum);
		}
		StringBuilder message = new StringBuilder("BlockHound: ").append(found.size())
			.append(" blocking call(s) on a non-blocking thread ")
			.append(when)
			.append(" (the stack of each is below, the product call to fix is its first com.iotorq.lean.gateway frame):");
		distinct.forEach((description, count) -> message.append("\n  ")
			.append(description)
			.append((count > 1) ? " (" + count + " times)" : ""));
		AssertionError failure = new AssertionError(message.toString(), found.get(0).error());
		found.stream().skip(1).limit(4).forEach((violation) -> failure.addSuppressed(violation.error()));
		throw failure;
	}

	/** The blocking calls recorded since the last check, forgotten by this call. */
	static List<Violation> drain() {
		List<Violation> found = new ArrayList<>();
		for (Violation violation = violations.poll(); violation != null; violation = violations.poll()) {
			found.add(violation);
		}
		return found;
	}

	/**
	 * Records the call and lets it go on. BlockHound's default, throwing where the call
	 * was made, can leave a library's lock half-taken (Lettuce's command lock did, and
	 * the whole run hung): a hang hides every result, while a recorded call fails its
	 * test with the same stack.
	 */
	private static void blocked(BlockingMethod method) {
		BlockingOperationError recorded = new BlockingOperationError(method);
		recorded.setStackTrace(withoutBlockHoundFrames(recorded.getStackTrace()));
		violations.add(new Violation(method, Thread.currentThread().getName(), recorded));
	}

	private static StackTraceElement[] withoutBlockHoundFrames(StackTraceElement[] stack) {
		for (int i = 0; i < stack.length; i++) {
			if (stack[i].getClassName().equals("reactor.blockhound.BlockHoundRuntime")
					&& stack[i].getMethodName().equals("checkBlocking")) {
				return Arrays.copyOfRange(stack, i + 1, stack.length);
			}
		}
		return stack;
	}

	/** One blocking call: what blocked, on which thread, and the stack of the call. */
	record Violation(BlockingMethod method, String thread, BlockingOperationError error) {

		/**
		 * The product's own frame nearest the blocking call, or {@code null} if none is
		 * on the stack.
		 */
		StackTraceElement productFrame() {
			for (StackTraceElement frame : this.error.getStackTrace()) {
				if (frame.getClassName().startsWith(PRODUCT_PACKAGE)) {
					return frame;
				}
			}
			return null;
		}

		String describe() {
			StackTraceElement product = productFrame();
			return this.method + " on thread " + this.thread + ", called from "
					+ ((product != null) ? product : "no com.iotorq.lean.gateway class (a library's own call)");
		}

	}

}
