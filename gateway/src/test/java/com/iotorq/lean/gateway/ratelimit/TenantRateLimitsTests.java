package com.iotorq.lean.gateway.ratelimit;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.test.web.reactive.server.HttpHandlerConnector;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.adapter.WebHttpHandlerBuilder;
import org.springframework.web.server.session.CookieWebSessionIdResolver;

import com.iotorq.lean.gateway.config.BenchAblation;
import com.iotorq.lean.gateway.observability.RequestRefusals;
import com.iotorq.lean.gateway.tenant.SsoSettings;
import com.iotorq.lean.gateway.tenant.Tenant;
import com.iotorq.lean.gateway.tenant.TenantAttributes;
import com.iotorq.lean.gateway.test.TestSsoSettings;
import com.iotorq.lean.gateway.test.TestTenants;
import com.iotorq.lean.gateway.web.GatewayErrorHandler;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The budget a request is charged to, for an organisation with SSO: how often the filter
 * itself looks up a session cookie, and what it learns from the lookups the rest of the
 * chain makes.
 */
class TenantRateLimitsTests {

	private static final String COOKIE = "LEAN_SESSION";

	private final Tenant tenant = TestTenants.tenant()
		.slug("acme")
		.sso(TestSsoSettings.entra().mode(SsoSettings.Mode.REQUIRED))
		.requestsPerSecond(1000)
		.build();

	/**
	 * The session store as Spring Security sees it: which session ids are a signed-in
	 * person's.
	 */
	private final Sessions sessions = new Sessions();

	private final WebTestClient client = WebTestClient
		.bindToServer(new HttpHandlerConnector(WebHttpHandlerBuilder.webHandler(exchange -> {
			// the chain's own look-up, as Spring Security makes it for every request it
			// lets through
			this.sessions.chainLoaded(exchange);
			return exchange.getResponse().setComplete();
		}).filter((exchange, chain) -> {
			exchange.getAttributes().put(TenantAttributes.TENANT, this.tenant);
			return chain.filter(exchange.mutate()
				.request(request -> request.remoteAddress(new InetSocketAddress("198.51.100.7", 443)))
				.build());
		})
			.filter(limitsStep(new TenantRateLimits(new InMemoryRateLimiter(),
					new RateLimitProperties(true, 1000, 1, Duration.ofSeconds(2), Duration.ofMillis(250),
							Duration.ofSeconds(5), 3),
					this.sessions, new RequestRefusals(new SimpleMeterRegistry()), sessionIds(), Duration.ofMinutes(30),
					BenchAblation.none())))
			.exceptionHandler(new GatewayErrorHandler())
			.build()))
		.build();

	@Test
	void madeUpCookiesWhenTheClientsLookupsAreUsedUpThenNotLookedUpAnyMore() {
		for (int i = 0; i < 10; i++) {
			get("made-up-" + i);
		}
		// three failed look-ups a minute for this client, then none
		assertThat(this.sessions.filterLookups).hasValue(3);
	}

	@Test
	void signedInPersonBehindAFloodingAddressWhenTheChainFindsTheSessionThenLookedUpFromThenOn() {
		for (int i = 0; i < 3; i++) {
			get("made-up-" + i);
		}
		this.sessions.signedIn.set(true);
		// not looked up by the filter (the client's budget is used up), but the chain
		// finds it signed in
		get("ada");
		assertThat(this.sessions.filterLookups).hasValue(3);
		// a session seen signed in is always looked up, whatever its address sends
		// besides
		get("ada");
		get("ada");
		assertThat(this.sessions.filterLookups).hasValue(5);
	}

	@Test
	void scimRequestWhenItCarriesASessionCookieThenNeverLookedUp() {
		this.sessions.signedIn.set(true);
		for (int i = 0; i < 5; i++) {
			this.client.get().uri("/scim/v2/Users").cookie(COOKIE, "ada").exchange().expectStatus().isOk();
		}
		// SCIM has its own budget and takes a bearer token: a session never decides
		// anything there
		assertThat(this.sessions.filterLookups).hasValue(0);
		get("ada");
		assertThat(this.sessions.filterLookups).hasValue(1);
	}

	/** The step alone, as the pipeline runs it. */
	private WebFilter limitsStep(TenantRateLimits limits) {
		return (exchange, chain) -> {
			Mono<Void> admitted = limits.admit(exchange, this.tenant);
			return (admitted != null) ? admitted.then(chain.filter(exchange)) : chain.filter(exchange);
		};
	}

	private void get(String session) {
		this.client.get().uri("/work").cookie(COOKIE, session).exchange().expectStatus().isOk();
	}

	private static CookieWebSessionIdResolver sessionIds() {
		CookieWebSessionIdResolver resolver = new CookieWebSessionIdResolver();
		resolver.setCookieName(COOKIE);
		return resolver;
	}

	/**
	 * Answers as the chain's security context repository would: signed in only once the
	 * test says so.
	 */
	private static final class Sessions implements SignedInRequests {

		private static final String FOUND = Sessions.class.getName() + ".found";

		final AtomicInteger filterLookups = new AtomicInteger();

		final AtomicBoolean signedIn = new AtomicBoolean();

		@Override
		public Mono<Boolean> isSignedIn(ServerWebExchange exchange) {
			this.filterLookups.incrementAndGet();
			return Mono.just(this.signedIn.get());
		}

		void chainLoaded(ServerWebExchange exchange) {
			exchange.getAttributes().put(FOUND, this.signedIn.get());
		}

		@Override
		public Mono<Boolean> foundSignedIn(ServerWebExchange exchange) {
			return Mono.just(Boolean.TRUE.equals(exchange.getAttribute(FOUND)));
		}

	}

}
