package com.iotorq.lean.gateway.session;

import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.data.redis.connection.ReactiveRedisConnection;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import com.iotorq.lean.gateway.test.BlockingCallsGuard;
import com.iotorq.lean.gateway.test.TestRedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The shared Redis connection is opened while the gateway starts, because opening it on
 * first use blocks the thread that asks, an event loop or a Reactor parallel thread:
 * BlockHound, in the test JVM, catches that. Against the test run's real Redis.
 */
class SharedRedisConnectionTests {

	private LettuceConnectionFactory factory;

	@BeforeEach
	void startFactory() {
		TestRedis redis = TestRedis.get();
		this.factory = new LettuceConnectionFactory(new RedisStandaloneConfiguration(redis.host(), redis.port()));
		this.factory.afterPropertiesSet();
		this.factory.start();
	}

	@AfterEach
	void stopFactory() {
		this.factory.destroy();
	}

	@Test
	void firstCommandWhenConnectionWasNotOpenedAtStartUpThenItBlocksTheThreadThatAsks() {
		assertThat(pingOnParallelThread().block(Duration.ofSeconds(5))).isEqualTo("PONG");

		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> BlockingCallsGuard.assertNoBlockingCalls("in this test"))
			.withMessageContaining("jdk.internal.misc.Unsafe#park on thread parallel-")
			.havingCause()
			.satisfies((cause) -> assertThat(cause.getStackTrace())
				.anyMatch((frame) -> frame.getClassName().endsWith("LettuceConnectionFactory$SharedConnection")
						&& frame.getMethodName().equals("getNativeConnection")));
	}

	@Test
	void firstCommandWhenConnectionWasOpenedAtStartUpThenNothingBlocks() {
		SharedRedisConnection atStartUp = new SharedRedisConnection(this.factory);
		atStartUp.start();

		assertThat(atStartUp.isRunning()).isTrue();
		// BlockingCallsExtension fails this test if the ping blocked its thread
		assertThat(pingOnParallelThread().block(Duration.ofSeconds(5))).isEqualTo("PONG");
	}

	private Mono<String> pingOnParallelThread() {
		ReactiveRedisConnectionFactory connections = this.factory;
		return Mono
			.usingWhen(Mono.fromSupplier(connections::getReactiveConnection), ReactiveRedisConnection::ping,
					ReactiveRedisConnection::closeLater)
			.subscribeOn(Schedulers.parallel());
	}

}
