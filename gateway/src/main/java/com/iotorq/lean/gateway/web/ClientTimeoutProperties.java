package com.iotorq.lean.gateway.web;

import java.time.Duration;

import jakarta.validation.constraints.NotNull;
import org.hibernate.validator.constraints.time.DurationMin;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Bounds on slow clients of the public port, beyond Spring Boot's {@code server.netty.*}
 * (request line and header sizes, idle keep-alive connections).
 *
 * @param requestHeadTimeout a request's line and headers must arrive within this from
 * their first byte; otherwise 408 and the connection is closed (against "slowloris"
 * clients that trickle headers to hold connections)
 * @param bodyReadTimeout the longest pause while a request body arrives
 * @param bodyTimeout the longest a whole request body may take to arrive
 */
@Validated
@ConfigurationProperties(ClientTimeoutProperties.PREFIX)
public record ClientTimeoutProperties(
		@DefaultValue("10s") @NotNull @DurationMin(millis = 100) Duration requestHeadTimeout,
		@DefaultValue("20s") @NotNull @DurationMin(millis = 100) Duration bodyReadTimeout,
		@DefaultValue("2m") @NotNull @DurationMin(millis = 100) Duration bodyTimeout) {

	public static final String PREFIX = "lean.server";

}
