package com.iotorq.lean.gateway.reliability;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.http.MediaType;

import com.iotorq.lean.gateway.test.ResilienceTestSupport;
import com.iotorq.lean.gateway.test.TestBrowser;
import com.iotorq.lean.gateway.test.TestRedis;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each organisation's request rate limit, set through the admin API
 * ({@code requestsPerSecond}) or defaulted: over it, 429 with Retry-After as a page or
 * problem+json; other organisations pass; counted in Redis with the Redis session store.
 */
class TenantRateLimitIntegrationTests extends ResilienceTestSupport {

	@Test
	void organisationOverItsOwnLimitThen429WithRetryAfterWhileOthersPass() throws InterruptedException {
		String limited = plainOrganisation(Map.of("requestsPerSecond", 5));
		String other = plainOrganisation(Map.of());
		this.admin.get()
			.uri("/admin/tenants/{slug}", limited)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.requestsPerSecond")
			.isEqualTo(5);
		this.admin.get()
			.uri("/admin/tenants/{slug}", other)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.requestsPerSecond")
			.doesNotExist();

		// 5 per second with 2 s of burst: 10 at once, then 5 per second
		long started = System.nanoTime();
		List<TestBrowser.Response> burst = send(limited, 30);
		double seconds = since(started).toMillis() / 1000.0;
		long passed = burst.stream().filter(r -> r.status() == 200).count();
		assertThat(passed).isBetween(10L, 10L + (long) Math.ceil(5 * seconds));
		assertThat(passed).isLessThan(30);
		TestBrowser.Response refused = burst.stream().filter(r -> r.status() == 429).findFirst().orElseThrow();
		assertThat(Integer.parseInt(refused.header("Retry-After"))).isBetween(1, 2);
		assertThat(refused.header("X-Lean-Error")).isEqualTo("too-many-requests");
		assertThat(refused.body()).contains("Too many requests", "more requests than its limit");
		TestBrowser script = new TestBrowser();
		TestBrowser.Response problem = null;
		for (int i = 0; i < 30 && (problem == null || problem.status() != 429); i++) {
			problem = script.get(url(limited, "/api"), Map.of("Accept", "application/json"));
		}
		assertThat(problem.status()).isEqualTo(429);
		assertThat(problem.header("Content-Type")).startsWith("application/problem+json");
		assertThat(problem.header("Retry-After")).isNotBlank();

		assertThat(send(other, 30)).allSatisfy(r -> assertThat(r.status()).isEqualTo(200));
		assertThat(redisKeys()).anyMatch(key -> key.startsWith("lean:rate-limit:"));

		Thread.sleep(1200);
		assertThat(new TestBrowser().get(url(limited, "/later")).status()).isEqualTo(200);

		// a PUT without the field puts the organisation back on the default limit
		this.admin.put()
			.uri("/admin/tenants/{slug}", limited)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("displayName", "No longer limited"))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.requestsPerSecond")
			.doesNotExist();
		assertThat(send(limited, 30)).allSatisfy(r -> assertThat(r.status()).isEqualTo(200));
	}

	@Test
	void requestsPerSecondWhenNotAPositiveWholeNumberThenUnprocessable() {
		for (Object wrong : List.of(0, -3, 1.5, "10", 2_000_000)) {
			Map<String, Object> body = new HashMap<>();
			body.put("displayName", "Wrong limit");
			body.put("requestsPerSecond", wrong);
			this.admin.put()
				.uri("/admin/tenants/{slug}", "wrong-limit")
				.contentType(MediaType.APPLICATION_JSON)
				.bodyValue(body)
				.exchange()
				.expectStatus()
				.isEqualTo(422)
				.expectBody()
				.jsonPath("$.errors[0].field")
				.isEqualTo("requestsPerSecond");
		}
		this.admin.get().uri("/admin/tenants/{slug}", "wrong-limit").exchange().expectStatus().isNotFound();
	}

	private List<TestBrowser.Response> send(String slug, int count) {
		TestBrowser browser = new TestBrowser();
		List<TestBrowser.Response> responses = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			responses.add(browser.get(url(slug, "/r/" + i)));
		}
		return responses;
	}

	private static List<String> redisKeys() {
		TestRedis redis = TestRedis.get();
		LettuceConnectionFactory factory = new LettuceConnectionFactory(redis.host(), redis.port());
		factory.afterPropertiesSet();
		try {
			org.springframework.data.redis.connection.ReactiveRedisConnectionFactory reactive = factory;
			return reactive.getReactiveConnection()
				.keyCommands()
				.keys(ByteBuffer.wrap("lean:rate-limit:*".getBytes(StandardCharsets.UTF_8)))
				.block(Duration.ofSeconds(5))
				.stream()
				.map(key -> StandardCharsets.UTF_8.decode(key).toString())
				.toList();
		}
		finally {
			factory.destroy();
		}
	}

}
