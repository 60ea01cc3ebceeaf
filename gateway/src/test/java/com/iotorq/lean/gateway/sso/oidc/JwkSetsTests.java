package com.iotorq.lean.gateway.sso.oidc;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import com.iotorq.lean.gateway.resilience.CircuitBreakerSettings;
import com.iotorq.lean.gateway.test.TestSsoProperties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * {@link JwkSets} against a small key endpoint over real HTTP that a test can take down,
 * slow down and rotate, on a clock the test moves: the defaults an operator gets (maximum
 * age 24 h, refreshing 1 h ahead, backoff 1 s doubling to 4 s, unknown key ids at most
 * every 30 s).
 */
class JwkSetsTests {

	private static final RSAKey KEY_A = generate();

	private static final RSAKey KEY_B = generate();

	private final MutableClock clock = new MutableClock(Instant.parse("2026-03-02T09:00:00Z"));

	private final KeyEndpoint endpoint = new KeyEndpoint();

	private final IdpHttp http = new IdpHttp(TestSsoProperties.builder()
		.authority("https://login.example")
		.connectTimeout(Duration.ofSeconds(1))
		.responseTimeout(Duration.ofSeconds(5))
		.circuitBreaker(new CircuitBreakerSettings(true, 50, 4, 4, Duration.ofSeconds(30), 1))
		.maxConnections(10)
		.build(), CircuitBreakerRegistry.ofDefaults());

	private final JwkSets sets = new JwkSets(this.http,
			new JwksProperties(Duration.ofHours(24), Duration.ofHours(1), Duration.ofSeconds(1), Duration.ofSeconds(4)),
			Duration.ofSeconds(30), this.clock);

	@AfterEach
	void stopEndpoint() {
		this.endpoint.close();
	}

	@Test
	void keysRotatedWhileEndpointDownThenFetchRetriedAfterBackoffNotAfterRefreshInterval() {
		assertThat(keysFor(KEY_A)).containsExactly(KEY_A.toPublicJWK());
		this.endpoint.publish(KEY_B, KEY_A);
		this.endpoint.down(true);
		this.clock.advance(Duration.ofSeconds(31));
		assertUnavailable(KEY_B);
		assertThat(this.endpoint.requests()).hasValue(2);

		this.endpoint.down(false);
		this.clock.advance(Duration.ofMillis(500));
		assertUnavailable(KEY_B); // within the backoff: refused at once, the provider not
									// asked
		assertThat(this.endpoint.requests()).hasValue(2);
		this.clock.advance(Duration.ofMillis(600));
		assertThat(keysFor(KEY_B)).containsExactly(KEY_B.toPublicJWK());
		assertThat(this.endpoint.requests()).hasValue(3);
	}

	@Test
	void fetchesFailingThenBackoffDoublesFromOneSecondToFourAndStaysThere() {
		this.endpoint.down(true);
		assertUnavailable(KEY_A);
		int[] waitsMillis = { 1000, 2000, 4000, 4000, 4000 };
		for (int wait : waitsMillis) {
			int asked = this.endpoint.requests().get();
			this.clock.advance(Duration.ofMillis(wait - 50));
			assertUnavailable(KEY_A);
			assertThat(this.endpoint.requests()).as("asked again within %d ms", wait).hasValue(asked);
			this.clock.advance(Duration.ofMillis(50));
			assertUnavailable(KEY_A);
			assertThat(this.endpoint.requests()).as("asked again after %d ms", wait).hasValue(asked + 1);
		}
		this.endpoint.down(false);
		this.clock.advance(Duration.ofSeconds(4));
		assertThat(keysFor(KEY_A)).containsExactly(KEY_A.toPublicJWK());
	}

	@Test
	void keySetOlderThanMaxAgeIsNotUsedButFetchedAgain() {
		assertThat(keysFor(KEY_A)).containsExactly(KEY_A.toPublicJWK());
		this.clock.advance(Duration.ofHours(24));
		this.endpoint.down(true);
		assertUnavailable(KEY_A);
		assertThat(this.endpoint.requests()).hasValue(2);
		this.endpoint.down(false);
		this.clock.advance(Duration.ofSeconds(1));
		assertThat(keysFor(KEY_A)).containsExactly(KEY_A.toPublicJWK());
		assertThat(this.endpoint.requests()).hasValue(3);
	}

	@Test
	void keySetNearMaxAgeIsServedAtOnceAndRefreshedInTheBackground() {
		assertThat(keysFor(KEY_A)).containsExactly(KEY_A.toPublicJWK());
		this.clock.advance(Duration.ofHours(22));
		assertThat(keysFor(KEY_A)).containsExactly(KEY_A.toPublicJWK());
		assertThat(this.endpoint.requests()).as("not yet due").hasValue(1);

		// the provider withdrew key A and answers slowly; the set is due for its refresh
		this.endpoint.publish(KEY_B);
		this.endpoint.delay(Duration.ofSeconds(2));
		this.clock.advance(Duration.ofHours(1));
		List<JWK> meanwhile = this.sets.keysFor(this.endpoint.uri(), jwt(KEY_A))
			.collectList()
			.block(Duration.ofMillis(500));
		assertThat(meanwhile).containsExactly(KEY_A.toPublicJWK());
		await().atMost(Duration.ofSeconds(2)).until(() -> this.endpoint.requests().get() == 2);
		// once the refresh is in, key A is gone (no further fetch: the refresh interval
		// holds)
		await().atMost(Duration.ofSeconds(5)).until(() -> keysFor(KEY_A).isEmpty());
		assertThat(keysFor(KEY_B)).containsExactly(KEY_B.toPublicJWK());
		assertThat(this.endpoint.requests()).hasValue(2);

		// the refreshed set counts its age from its own fetch
		this.endpoint.down(true);
		this.clock.advance(Duration.ofHours(2));
		assertThat(keysFor(KEY_B)).containsExactly(KEY_B.toPublicJWK());
	}

	@Test
	void unknownKeyIdsFetchTheKeysAtMostOncePerRefreshInterval() {
		assertThat(keysFor(KEY_A)).containsExactly(KEY_A.toPublicJWK());
		for (int i = 0; i < 20; i++) {
			assertThat(keysFor(UUID.randomUUID().toString())).isEmpty();
		}
		assertThat(this.endpoint.requests()).hasValue(1);
		this.clock.advance(Duration.ofSeconds(30));
		for (int i = 0; i < 20; i++) {
			assertThat(keysFor(UUID.randomUUID().toString())).isEmpty();
		}
		assertThat(this.endpoint.requests()).hasValue(2);
	}

	@Test
	void concurrentSignInsWithoutKeysShareOneFetch() {
		this.endpoint.delay(Duration.ofMillis(300));
		List<List<JWK>> all = Flux.range(0, 20)
			.flatMap(i -> this.sets.keysFor(this.endpoint.uri(), jwt(KEY_A)).collectList())
			.collectList()
			.block(Duration.ofSeconds(5));
		assertThat(all).hasSize(20).allSatisfy(keys -> assertThat(keys).containsExactly(KEY_A.toPublicJWK()));
		assertThat(this.endpoint.requests()).hasValue(1);
	}

	@Test
	void propertiesWhenRefreshAheadNotShorterThanMaxAgeOrBackoffAboveItsBoundThenTheGatewayDoesNotStart() {
		ApplicationContextRunner context = new ApplicationContextRunner()
			.withUserConfiguration(BindJwksProperties.class);
		context.run(started -> assertThat(started.getBean(JwksProperties.class)).isEqualTo(new JwksProperties(
				Duration.ofHours(24), Duration.ofHours(1), Duration.ofSeconds(1), Duration.ofSeconds(4))));
		context.withPropertyValues("lean.sso.jwks.max-age=1h", "lean.sso.jwks.refresh-ahead=1h")
			.run(started -> assertThat(started).hasFailed());
		context.withPropertyValues("lean.sso.jwks.retry-backoff=5s").run(started -> assertThat(started).hasFailed());
		context.withPropertyValues("lean.sso.jwks.max-retry-backoff=2m")
			.run(started -> assertThat(started).hasFailed());
	}

	@EnableConfigurationProperties(JwksProperties.class)
	static class BindJwksProperties {

	}

	private List<JWK> keysFor(RSAKey key) {
		return keysFor(key.getKeyID());
	}

	private List<JWK> keysFor(String kid) {
		return this.sets.keysFor(this.endpoint.uri(), jwt(kid)).collectList().block(Duration.ofSeconds(10));
	}

	private void assertUnavailable(RSAKey key) {
		assertThatThrownBy(() -> keysFor(key)).isInstanceOf(JwkSets.KeysUnavailableException.class)
			.isInstanceOf(IllegalStateException.class);
	}

	private static SignedJWT jwt(RSAKey key) {
		return jwt(key.getKeyID());
	}

	private static SignedJWT jwt(String kid) {
		return new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(kid).build(),
				new JWTClaimsSet.Builder().build());
	}

	private static RSAKey generate() {
		try {
			return new RSAKeyGenerator(2048).keyID(UUID.randomUUID().toString()).keyUse(KeyUse.SIGNATURE).generate();
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** A JWKS endpoint on 127.0.0.1 that answers 503 while down, after a delay if set. */
	private static final class KeyEndpoint implements AutoCloseable {

		private final AtomicInteger requests = new AtomicInteger();

		private volatile JWKSet published = new JWKSet(KEY_A);

		private volatile boolean down;

		private volatile Duration delay = Duration.ZERO;

		private final DisposableServer server = HttpServer.create()
			.host("127.0.0.1")
			.port(0)
			.handle((request, response) -> {
				this.requests.incrementAndGet();
				Mono<Long> wait = this.delay.isZero() ? Mono.just(0L) : Mono.delay(this.delay);
				return wait.then(Mono.defer(() -> {
					if (this.down) {
						return response.status(503).send();
					}
					byte[] body = this.published.toPublicJWKSet().toString().getBytes(StandardCharsets.UTF_8);
					return response.header("Content-Type", "application/json").sendByteArray(Mono.just(body)).then();
				}));
			})
			.bindNow();

		URI uri() {
			return URI.create("http://127.0.0.1:" + this.server.port() + "/discovery/v2.0/keys");
		}

		AtomicInteger requests() {
			return this.requests;
		}

		void publish(RSAKey... keys) {
			this.published = new JWKSet(List.<JWK>of(keys));
		}

		void down(boolean down) {
			this.down = down;
		}

		void delay(Duration delay) {
			this.delay = delay;
		}

		@Override
		public void close() {
			this.server.disposeNow();
		}

	}

	private static final class MutableClock extends Clock {

		private volatile Instant now;

		MutableClock(Instant now) {
			this.now = now;
		}

		void advance(Duration by) {
			this.now = this.now.plus(by);
		}

		@Override
		public Instant instant() {
			return this.now;
		}

		@Override
		public ZoneId getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(ZoneId zone) {
			return this;
		}

	}

}
