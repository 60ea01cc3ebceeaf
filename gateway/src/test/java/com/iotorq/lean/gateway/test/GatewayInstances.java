package com.iotorq.lean.gateway.test;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.web.reactive.server.WebTestClient;

import com.iotorq.lean.gateway.LeanGatewayApplication;

/**
 * Whole gateway instances started side by side in one test JVM (replicas on one
 * PostgreSQL and one Redis), with the test run's properties and the given overrides.
 */
public final class GatewayInstances {

	private GatewayInstances() {
	}

	/**
	 * Starts an instance; {@code overrides} as {@code --name=value}, e.g. its
	 * {@code --server.port}.
	 */
	public static ConfigurableApplicationContext start(String... overrides) {
		return new SpringApplicationBuilder(LeanGatewayApplication.class).run(GatewayTestProperties.args(overrides));
	}

	/** The instance's public port. */
	public static int port(ConfigurableApplicationContext instance) {
		return Integer.parseInt(instance.getEnvironment().getRequiredProperty("local.server.port"));
	}

	/** A client of the instance's admin API, with the test admin token. */
	public static WebTestClient admin(ConfigurableApplicationContext instance) {
		return WebTestClient.bindToServer()
			.baseUrl("http://127.0.0.1:" + instance.getEnvironment().getRequiredProperty("local.management.port"))
			.defaultHeader("Authorization", "Bearer " + GatewayTestProperties.ADMIN_TOKEN)
			.responseTimeout(Duration.ofSeconds(30))
			.build();
	}

	/** A port free now, for an instance whose address must be known before it starts. */
	public static int freePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** Closes each instance still running. */
	public static void stop(ConfigurableApplicationContext... instances) {
		for (ConfigurableApplicationContext instance : instances) {
			if (instance != null && instance.isActive()) {
				instance.close();
			}
		}
	}

}
