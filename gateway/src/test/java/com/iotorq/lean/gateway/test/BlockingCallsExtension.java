package com.iotorq.lean.gateway.test;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test that made a blocking call on a non-blocking thread
 * ({@link BlockingCallsGuard}), even when the call's error was swallowed into a response
 * or a log line. Registered for every test class through
 * {@code META-INF/services/org.junit.jupiter.api.extension.Extension} and
 * {@code junit-platform.properties} (automatic registration, limited to this class).
 * Calls made outside a test method (class set-up, a context starting, work still running
 * after the previous class) fail the class they were recorded in.
 */
public final class BlockingCallsExtension
		implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback, AfterAllCallback {

	public BlockingCallsExtension() {
		BlockingCallsGuard.install();
	}

	@Override
	public void beforeAll(ExtensionContext context) {
		BlockingCallsGuard.assertNoBlockingCalls("before this class started (left over from the previous class)");
	}

	@Override
	public void beforeEach(ExtensionContext context) {
		BlockingCallsGuard.assertNoBlockingCalls("while this class was set up, before this test");
	}

	@Override
	public void afterEach(ExtensionContext context) {
		BlockingCallsGuard.assertNoBlockingCalls("in this test");
	}

	@Override
	public void afterAll(ExtensionContext context) {
		BlockingCallsGuard.assertNoBlockingCalls("while this class was set up or torn down");
	}

}
