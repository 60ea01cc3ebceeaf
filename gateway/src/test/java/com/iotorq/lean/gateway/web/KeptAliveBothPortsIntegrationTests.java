package com.iotorq.lean.gateway.web;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.netty.handler.codec.http.HttpHeaderNames;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;

import com.iotorq.lean.gateway.LeanGatewayApplication;
import com.iotorq.lean.gateway.test.GatewayTestProperties;
import com.iotorq.lean.gateway.test.KeptAliveConnection;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Both servers, the public one and the management one (which Spring Boot builds in a
 * child context), read every request of a kept-alive connection, whatever the answer
 * before it was: a probe, the metrics page (answered on another thread, large), a 401
 * from the security entry point, a 404 from the error handler. Each request follows the
 * previous answer's last byte at once, as a connection pool sends it. Without the guard
 * on the management server, the request after a 401 that followed the metrics page went
 * unread in about half of the rounds (reactor-netty 1.3.6, reactor/reactor-netty#4361).
 */
class KeptAliveBothPortsIntegrationTests {

	private static final Duration ANSWER_WITHIN = Duration.ofSeconds(2);

	/**
	 * The first answers of a fresh context build what later ones reuse: slow on a busy
	 * machine.
	 */
	private static final Duration FIRST_ANSWER_WITHIN = Duration.ofSeconds(30);

	private static final int MANAGEMENT_ROUNDS = 40;

	private static final int PUBLIC_ROUNDS = 100;

	private static final String BEARER = "Bearer " + GatewayTestProperties.ADMIN_TOKEN;

	/** What TenantAdminIntegrationTests asks the management port, in its order. */
	private static final List<Probe> MANAGEMENT_PROBES = List.of(new Probe("/actuator/health/liveness", false, 200),
			new Probe("/actuator/health/readiness", false, 200), new Probe("/actuator/prometheus", false, 200),
			new Probe("/actuator/metrics", false, 401), new Probe("/reports/1", true, 404));

	private static final Map<String, ConfigurableApplicationContext> servers = new ConcurrentHashMap<>();

	private static ConfigurableApplicationContext gateway;

	@BeforeAll
	static void startGateway() {
		ApplicationListener<WebServerInitializedEvent> listener = (event) -> servers.put(
				String.valueOf(event.getApplicationContext().getServerNamespace()),
				(ConfigurableApplicationContext) event.getApplicationContext());
		gateway = new SpringApplicationBuilder(LeanGatewayApplication.class).listeners(listener)
			.run(GatewayTestProperties.args());
		try (KeptAliveConnection connection = new KeptAliveConnection(managementPort(), FIRST_ANSWER_WITHIN)) {
			for (Probe probe : MANAGEMENT_PROBES) {
				assertThat(connection.get("127.0.0.1", probe.path(), probe.headerLines())).isEqualTo(probe.status());
			}
		}
		try (KeptAliveConnection connection = new KeptAliveConnection(publicPort(), FIRST_ANSWER_WITHIN)) {
			assertThat(connection.get("nosuch." + GatewayTestProperties.BASE_DOMAIN, "/")).isEqualTo(404);
		}
	}

	@AfterAll
	static void stopGateway() {
		gateway.close();
	}

	@Test
	void serversWhenStartedThenBothGuardTheirKeptAliveConnections() {
		assertThat(servers).containsOnlyKeys("null", "management");
		servers.forEach((namespace,
				context) -> assertThat(context.getBean(NettyReactiveWebServerFactory.class).getServerCustomizers())
					.as(namespace)
					.hasAtLeastOneElementOfType(KeepAliveReadGuard.class));
	}

	@Test
	void managementPortWhenProbedOverOneConnectionThenEveryRequestAnswered() {
		List<String> unanswered = new ArrayList<>();
		int answered = 0;
		KeptAliveConnection connection = new KeptAliveConnection(managementPort(), ANSWER_WITHIN);
		try {
			for (int round = 0; round < MANAGEMENT_ROUNDS && unanswered.size() < 5; round++) {
				for (Probe probe : MANAGEMENT_PROBES) {
					int status = connection.get("127.0.0.1", probe.path(), probe.headerLines());
					if (status < 0) {
						unanswered.add("round " + round + " " + probe.path());
						// that connection is stuck behind the unanswered request: carry
						// on over a new one
						connection.close();
						connection = new KeptAliveConnection(managementPort(), ANSWER_WITHIN);
					}
					else {
						assertThat(status).as(probe.path()).isEqualTo(probe.status());
						answered++;
					}
				}
			}
		}
		finally {
			connection.close();
		}
		assertThat(unanswered).as("not answered within %s (%d answered)", ANSWER_WITHIN, answered).isEmpty();
	}

	@Test
	void managementPortWhenProbedByAPoolOfOneConnectionThenEveryRequestAnswered() {
		// as WebTestClient sends them: Reactor Netty's client, which reuses its pooled
		// connection
		ConnectionProvider pool = ConnectionProvider.builder("kept-alive-test").maxConnections(1).build();
		HttpClient client = HttpClient.create(pool).baseUrl("http://127.0.0.1:" + managementPort());
		List<String> unanswered = new ArrayList<>();
		int answered = 0;
		try {
			for (int round = 0; round < MANAGEMENT_ROUNDS && unanswered.size() < 5; round++) {
				for (Probe probe : MANAGEMENT_PROBES) {
					HttpClient sender = probe.admin()
							? client.headers((headers) -> headers.set(HttpHeaderNames.AUTHORIZATION, BEARER)) : client;
					int status = sender.get()
						.uri(probe.path())
						.responseSingle((response, body) -> body.asByteArray().thenReturn(response.status().code()))
						.timeout(ANSWER_WITHIN)
						.onErrorReturn(-1)
						.blockOptional()
						.orElse(-1);
					if (status < 0) {
						unanswered.add("round " + round + " " + probe.path());
					}
					else {
						assertThat(status).as(probe.path()).isEqualTo(probe.status());
						answered++;
					}
				}
			}
		}
		finally {
			pool.disposeLater().block(Duration.ofSeconds(5));
		}
		assertThat(unanswered).as("not answered within %s (%d answered)", ANSWER_WITHIN, answered).isEmpty();
	}

	@Test
	void publicPortWhenRefusedOverOneConnectionThenEveryRequestAnswered() {
		String base = GatewayTestProperties.BASE_DOMAIN;
		List<String> unanswered = new ArrayList<>();
		int answered = 0;
		KeptAliveConnection connection = new KeptAliveConnection(publicPort(), ANSWER_WITHIN);
		try {
			for (int round = 0; round < PUBLIC_ROUNDS && unanswered.size() < 5; round++) {
				// refused without a lookup, refused without a lookup, looked up (and then
				// cached): all 404
				for (String host : List.of("a.b." + base, base, "nosuch" + (round % 5) + "." + base)) {
					int status = connection.get(host, "/");
					if (status < 0) {
						unanswered.add("round " + round + " " + host);
						connection.close();
						connection = new KeptAliveConnection(publicPort(), ANSWER_WITHIN);
					}
					else {
						assertThat(status).as(host).isEqualTo(404);
						answered++;
					}
				}
			}
		}
		finally {
			connection.close();
		}
		assertThat(unanswered).as("not answered within %s (%d answered)", ANSWER_WITHIN, answered).isEmpty();
	}

	private static int managementPort() {
		return port(servers.get("management"));
	}

	private static int publicPort() {
		return port(gateway);
	}

	private static int port(ConfigurableApplicationContext context) {
		return ((WebServerApplicationContext) context).getWebServer().getPort();
	}

	private record Probe(String path, boolean admin, int status) {

		String headerLines() {
			return this.admin ? "Authorization: " + BEARER + "\r\n" : "";
		}

	}

}
