package com.iotorq.lean.gateway.pipeline;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;

import com.iotorq.lean.gateway.test.RawHttp;
import com.iotorq.lean.gateway.test.SignInTestSupport;
import com.iotorq.lean.gateway.test.TestBrowser;
import com.iotorq.lean.gateway.test.entra.TestEntra;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Where Spring Security runs: on the gateway's own endpoints and the management port,
 * never for a signed-in person's request to a backend; and the management port gets none
 * of the public steps.
 */
@Import(PublicRequestPipelineIntegrationTests.CountingChains.class)
class PublicRequestPipelineIntegrationTests extends SignInTestSupport {

	/** Requests Spring Security's public sign-in chain was asked about. */
	static final AtomicInteger publicChain = new AtomicInteger();

	@Test
	void signedInRequestForTheBackendWhenForwardedThenSpringSecurityIsNotAsked() {
		Org acme = organisation();
		TestEntra.User ada = person(acme, "Ada Pipeline");
		TestBrowser.Response done = signIn(acme, ada, "/start");
		assertThat(done.status()).isEqualTo(302);

		int before = publicChain.get();
		for (int i = 0; i < 5; i++) {
			assertThat(this.browser.get(acme.url("/work/" + i)).status()).isEqualTo(200);
			assertThat(backend.last().header("X-Lean-User-Email")).containsExactly(ada.email());
			assertThat(backend.last().header("X-Lean-Identity")).hasSize(1);
		}
		assertThat(publicChain).as("Spring Security's public chain, for forwarded requests").hasValue(before);

		// the gateway's own endpoints go through it
		assertThat(this.browser.get(acme.url("/oauth/login?next=/x")).status()).isEqualTo(302);
		assertThat(publicChain).hasValue(before + 1);
	}

	@Test
	void signedInRequestWhenForwardedThenTheSecurityHeadersAreThereAsSpringSecurityWroteThem() {
		Org acme = organisation();
		TestEntra.User ada = person(acme, "Ada Headers");
		signIn(acme, ada, "/start");
		TestBrowser.Response page = this.browser.get(acme.url("/page"));
		assertThat(page.status()).isEqualTo(200);
		assertThat(page.header("X-Content-Type-Options")).isEqualTo("nosniff");
		assertThat(page.header("X-Frame-Options")).isEqualTo("SAMEORIGIN");
		assertThat(page.header("Referrer-Policy")).isEqualTo("no-referrer");
		assertThat(page.header("X-XSS-Protection")).isEqualTo("0");
		// and on the way to sign in
		TestBrowser.Response anonymous = new TestBrowser().get(acme.url("/page"));
		assertThat(anonymous.status()).isEqualTo(302);
		assertThat(anonymous.header("X-Content-Type-Options")).isEqualTo("nosniff");
	}

	@Test
	void managementPortWhenAskedWithAnyHostAndOriginThenNoneOfThePublicStepsRuns() {
		// no organisation, a blocked path on the public port, a cross-site origin: all
		// public steps would refuse it
		RawHttp.Reply health = RawHttp.send(this.managementPort,
				RawHttp.ascii("POST /actuator/health HTTP/1.1\r\nHost: no-such-org.example\r\n"
						+ "Origin: https://evil.example\r\nSec-Fetch-Site: cross-site\r\nContent-Length: 0\r\n"
						+ "Connection: close\r\n\r\n"),
				Duration.ofSeconds(10));
		// the actuator's own answer to a POST (405), not the pipeline's 404 or 403
		assertThat(health.status()).isEqualTo(405);
		assertThat(health.head()).as("trace context step").doesNotContainIgnoringCase("X-Request-Id");
		// liveness: whether the database, Redis or the change listener are up at this
		// moment is not the question
		RawHttp.Reply get = RawHttp.send(this.managementPort, RawHttp
			.ascii("GET /actuator/health/liveness HTTP/1.1\r\nHost: no-such-org.example\r\nConnection: close\r\n\r\n"),
				Duration.ofSeconds(10));
		assertThat(get.status()).as(get.head()).isEqualTo(200);
		assertThat(get.head()).as("trace context step").doesNotContainIgnoringCase("X-Request-Id");
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class CountingChains {

		/** Counts every exchange Spring Security's public chain is matched against. */
		@Bean
		static BeanPostProcessor countingPublicChain() {
			return new BeanPostProcessor() {
				@Override
				public Object postProcessAfterInitialization(Object bean, String name) {
					if (!"publicSecurity".equals(name) || !(bean instanceof SecurityWebFilterChain chain)) {
						return bean;
					}
					return new SecurityWebFilterChain() {
						@Override
						public Mono<Boolean> matches(ServerWebExchange exchange) {
							publicChain.incrementAndGet();
							return chain.matches(exchange);
						}

						@Override
						public Flux<WebFilter> getWebFilters() {
							return chain.getWebFilters();
						}
					};
				}
			};
		}

	}

}
