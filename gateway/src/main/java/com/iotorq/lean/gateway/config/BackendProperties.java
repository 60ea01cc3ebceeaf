package com.iotorq.lean.gateway.config;

import java.net.URI;

import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * The LEAN backends behind the gateway.
 *
 * @param defaultUri where routes send an organisation's traffic unless the organisation has a
 * backend of its own; routes in {@code config/} name it as {@code ${lean.backend.default-uri}}
 */
@Validated
@ConfigurationProperties(BackendProperties.PREFIX)
public record BackendProperties(@NotNull URI defaultUri) {

	public static final String PREFIX = "lean.backend";

}
