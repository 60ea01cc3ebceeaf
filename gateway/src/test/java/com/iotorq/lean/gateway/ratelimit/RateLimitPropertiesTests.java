package com.iotorq.lean.gateway.ratelimit;

import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

class RateLimitPropertiesTests {

	private final ApplicationContextRunner context = new ApplicationContextRunner()
		.withUserConfiguration(BindRateLimitProperties.class);

	@Test
	void failedSessionLookupsPerMinuteWhenUnsetThen600AndMustBePositive() {
		this.context
			.run(started -> assertThat(started.getBean(RateLimitProperties.class).failedSessionLookupsPerMinute())
				.isEqualTo(600));
		this.context.withPropertyValues("lean.rate-limit.failed-session-lookups-per-minute=30")
			.run(started -> assertThat(started.getBean(RateLimitProperties.class).failedSessionLookupsPerMinute())
				.isEqualTo(30));
		for (String wrong : new String[] { "0", "-5", "many" }) {
			this.context.withPropertyValues("lean.rate-limit.failed-session-lookups-per-minute=" + wrong)
				.run(started -> assertThat(started).hasFailed());
		}
	}

	@EnableConfigurationProperties(RateLimitProperties.class)
	static class BindRateLimitProperties {

	}

}
