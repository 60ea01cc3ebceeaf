package com.iotorq.lean.gateway.web;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.resources.LoopResources;

import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.http.server.reactive.ReactorHttpHandlerAdapter;

import com.iotorq.lean.gateway.test.KeptAliveConnection;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Exchanges whose last step answers on another thread (here Reactor's timer, in the
 * gateway a database driver, Lettuce or a client connection) end on their connection's
 * event loop.
 */
class ConnectionEventLoopTests {

	private final LoopResources loops = LoopResources.create("connection-loop-test", 1, true);

	private final AtomicReference<String> endedOn = new AtomicReference<>();

	private DisposableServer server;

	@AfterEach
	void stop() {
		this.server.disposeNow();
		this.loops.dispose();
	}

	@Test
	void exchangeWhenItCompletesOnAnotherThreadThenEndsOnTheConnectionsLoop() {
		serve((request, response) -> Mono.delay(Duration.ofMillis(20)).then(response.setComplete()));
		assertThat(get()).isEqualTo(200);
		assertThat(this.endedOn.get()).startsWith("connection-loop-test");
	}

	@Test
	void exchangeWhenItFailsOnAnotherThreadThenEndsOnTheConnectionsLoop() {
		serve((request, response) -> Mono.delay(Duration.ofMillis(20))
			.then(Mono.error(new IllegalStateException("late"))));
		assertThat(get()).isEqualTo(500);
		assertThat(this.endedOn.get()).startsWith("connection-loop-test");
	}

	private void serve(HttpHandler handler) {
		HttpHandler decorated = new ConnectionEventLoop().apply(handler);
		// where Reactor Netty learns that the exchange ended
		HttpHandler observed = (request, response) -> decorated.handle(request, response)
			.doOnEach(signal -> this.endedOn.compareAndSet(null, Thread.currentThread().getName()));
		this.server = HttpServer.create()
			.runOn(this.loops)
			.host("127.0.0.1")
			.port(0)
			.handle(new ReactorHttpHandlerAdapter(observed))
			.bindNow();
	}

	private int get() {
		try (KeptAliveConnection connection = new KeptAliveConnection(this.server.port(), Duration.ofSeconds(5))) {
			return connection.get("localhost", "/");
		}
	}

}
