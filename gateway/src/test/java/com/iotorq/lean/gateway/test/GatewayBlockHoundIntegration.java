package com.iotorq.lean.gateway.test;

import reactor.blockhound.BlockHound;
import reactor.blockhound.integration.BlockHoundIntegration;

/**
 * The blocking calls BlockHound may let pass in this project's tests: only calls that are not the
 * product's blocking (JDK and library internals that BlockHound flags although they do not block an event
 * loop in practice, and test-only code). Never a class of {@code com.iotorq.lean.gateway} outside
 * {@code src/test}: the product's blocking calls are fixed, not allowed. Registered in
 * {@code META-INF/services/reactor.blockhound.integration.BlockHoundIntegration}.
 */
public final class GatewayBlockHoundIntegration implements BlockHoundIntegration {

	@Override
	public void applyTo(BlockHound.Builder builder) {
	}

}
