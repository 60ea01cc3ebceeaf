package com.iotorq.lean.gateway.admin;

import java.util.List;

import jakarta.validation.constraints.NotEmpty;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * The admin API on the management port.
 *
 * @param tokens bearer tokens that may call it, from {@code LEAN_ADMIN_TOKENS}
 * (comma-separated); several may be valid at once so they can be rotated without downtime
 */
@Validated
@ConfigurationProperties(AdminProperties.PREFIX)
public record AdminProperties(
		@NotEmpty(message = "no admin token is configured: set LEAN_ADMIN_TOKENS to one or more comma-separated "
				+ "random tokens (e.g. from `openssl rand -hex 32`); the admin API never runs open") List<String> tokens) {

	public static final String PREFIX = "lean.admin";

}
