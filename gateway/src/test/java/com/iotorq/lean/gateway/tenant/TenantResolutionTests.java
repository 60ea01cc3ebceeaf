package com.iotorq.lean.gateway.tenant;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;

import com.iotorq.lean.gateway.config.GatewayProperties;
import com.iotorq.lean.gateway.test.TestTenants;
import com.iotorq.lean.gateway.web.ErrorCode;
import com.iotorq.lean.gateway.web.GatewayException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TenantResolutionTests {

	private final Tenant acme = TestTenants.tenant("acme");

	private final Organisations organisations = new Organisations();

	private final GatewayProperties properties = new Binder(
			new MapConfigurationPropertySource(Map.of("lean.gateway.base-domain", "iotorq-lean.com")))
		.bindOrCreate(GatewayProperties.PREFIX, GatewayProperties.class);

	private final TenantResolution resolution = new TenantResolution(new TenantHost("iotorq-lean.com"),
			new TenantDirectory(this.organisations, new Binder(new MapConfigurationPropertySource())
				.bindOrCreate(TenantCacheProperties.PREFIX, TenantCacheProperties.class)),
			this.properties);

	@Test
	void resolveNowWhenNotCachedThenNullAndResolveLoadsItOntoTheExchange() {
		this.organisations.add(this.acme);
		this.organisations.holdAnswers();
		MockServerWebExchange exchange = exchange("https://acme.iotorq-lean.com/app");

		assertThat(this.resolution.resolveNow(exchange)).isNull();
		assertThat(exchange.getAttributes()).doesNotContainKey(TenantAttributes.TENANT);
		Mono<Tenant> resolved = this.resolution.resolve(exchange);
		this.organisations.answer();
		assertThat(resolved.block(Duration.ofSeconds(5))).isSameAs(this.acme);

		assertThat(TenantAttributes.required(exchange)).isSameAs(this.acme);
		assertThat(this.organisations.lookups).hasValue(1);
	}

	@Test
	void resolveNowWhenCachedThenOnTheExchangeWithoutAnotherLookup() {
		this.organisations.add(this.acme);
		this.resolution.resolve(exchange("https://acme.iotorq-lean.com/")).block();
		// the host's case and port do not matter
		MockServerWebExchange exchange = exchange("https://ACME.iotorq-lean.com:8443/app");

		assertThat(this.resolution.resolveNow(exchange)).isSameAs(this.acme);

		assertThat(TenantAttributes.required(exchange)).isSameAs(this.acme);
		assertThat(this.organisations.lookups).hasValue(1);
	}

	@Test
	void resolveWhenNoOrganisationOwnsTheNameOrItIsReservedOrTheBareDomainThenUnknownTenant() {
		assertRefused(exchange("https://globex.iotorq-lean.com/"), ErrorCode.UNKNOWN_TENANT);
		assertRefused(exchange("https://www.iotorq-lean.com/"), ErrorCode.UNKNOWN_TENANT);
		assertRefused(exchange("https://iotorq-lean.com/"), ErrorCode.UNKNOWN_TENANT);
		assertRefused(exchange("https://a.b.iotorq-lean.com/"), ErrorCode.UNKNOWN_TENANT);
		// a reserved name is never looked up
		assertThat(this.organisations.lookups).hasValue(1);
	}

	@Test
	void resolveWhenHostIsGarbageOrAnotherDomainThenInvalidHost() {
		assertRefused(exchange("https://acme.example.com/"), ErrorCode.INVALID_HOST);
		assertRefused(exchange("https://-acme.iotorq-lean.com/"), ErrorCode.INVALID_HOST);
		assertThat(this.organisations.lookups).hasValue(0);
	}

	@Test
	void resolveWhenManagementPathOnThePublicPortThenNotFound() {
		this.organisations.add(this.acme);
		for (String path : new String[] { "/actuator/health", "/ADMIN/tenants", "/admin" }) {
			MockServerWebExchange exchange = exchange("https://acme.iotorq-lean.com" + path);
			assertThatThrownBy(() -> this.resolution.resolveNow(exchange)).as(path)
				.isInstanceOfSatisfying(GatewayException.class,
						refused -> assertThat(refused.code()).isEqualTo(ErrorCode.NOT_FOUND));
			assertRefused(exchange, ErrorCode.NOT_FOUND);
			assertThat(exchange.getAttributes()).doesNotContainKey(TenantAttributes.TENANT);
		}
	}

	@Test
	void resolveWhenDatabaseCannotAnswerThenServiceUnavailableWithRetryAfter() {
		this.organisations.failWith(new IllegalStateException("database down"));

		StepVerifier.create(this.resolution.resolve(exchange("https://acme.iotorq-lean.com/")))
			.expectErrorSatisfies(ex -> {
				assertThat(ex).isInstanceOf(GatewayException.class);
				assertThat(((GatewayException) ex).code()).isEqualTo(ErrorCode.SERVICE_UNAVAILABLE);
				assertThat(((GatewayException) ex).retryAfter()).isEqualTo(Duration.ofSeconds(5));
			})
			.verify(Duration.ofSeconds(5));
	}

	private void assertRefused(MockServerWebExchange exchange, ErrorCode code) {
		StepVerifier.create(this.resolution.resolve(exchange))
			.expectErrorSatisfies(ex -> assertThat(ex).isInstanceOfSatisfying(GatewayException.class,
					refused -> assertThat(refused.code()).isEqualTo(code)))
			.verify(Duration.ofSeconds(5));
	}

	private static MockServerWebExchange exchange(String url) {
		return MockServerWebExchange.from(MockServerHttpRequest.get(url));
	}

	/**
	 * The system of record, in memory, counting the lookups; answering at once, or when
	 * the test says so, as a database answers later.
	 */
	private static final class Organisations implements TenantLookup {

		final AtomicInteger lookups = new AtomicInteger();

		private final Map<String, Tenant> bySlug = new ConcurrentHashMap<>();

		private final Sinks.Empty<Void> answered = Sinks.empty();

		private volatile boolean held;

		private volatile RuntimeException failure;

		void holdAnswers() {
			this.held = true;
		}

		void answer() {
			this.answered.tryEmitEmpty();
		}

		void add(Tenant tenant) {
			this.bySlug.put(tenant.slug(), tenant);
		}

		void failWith(RuntimeException failure) {
			this.failure = failure;
		}

		@Override
		public Mono<Tenant> findBySlug(String slug) {
			return Mono.defer(() -> {
				this.lookups.incrementAndGet();
				Mono<Tenant> answer = (this.failure != null) ? Mono.error(this.failure)
						: Mono.justOrEmpty(this.bySlug.get(slug));
				return this.held ? this.answered.asMono().then(answer) : answer;
			});
		}

	}

}
