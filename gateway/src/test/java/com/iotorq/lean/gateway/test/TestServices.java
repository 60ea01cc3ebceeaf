package com.iotorq.lean.gateway.test;

import org.testcontainers.DockerClientFactory;

/**
 * Where the tests' PostgreSQL and Redis come from; see {@link TestDatabase} and
 * {@link TestRedis}.
 */
public final class TestServices {

	private static Boolean docker;

	private TestServices() {
	}

	static synchronized boolean dockerAvailable() {
		if (docker == null) {
			docker = "false".equalsIgnoreCase(System.getenv("LEAN_TEST_DOCKER")) ? false
					: DockerClientFactory.instance().isDockerAvailable();
		}
		return docker;
	}

}
