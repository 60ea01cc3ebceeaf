package com.iotorq.lean.gateway.config;

import java.util.List;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the public edge.
 *
 * @param baseDomain domain under which each organisation owns exactly one DNS label, e.g.
 * {@code iotorq-lean.com} for {@code acme.iotorq-lean.com}
 * @param reservedSlugs labels that can never name an organisation
 * @param blockedPaths path patterns never served nor forwarded on the public port (the
 * management port carries them)
 * @param trustedProxies regular expression for the IP addresses of the proxies (the
 * ingress) whose {@code Forwarded}/{@code X-Forwarded-*} headers are believed; empty
 * trusts nobody
 * @param publicScheme the scheme browsers use to reach organisations ({@code https}
 * behind the ingress); the admin API has no browser request to read it from, so it builds
 * the redirect URI it shows support,
 * {@code <scheme>://<slug>.<base-domain>/oauth/complete/}, from this
 */
@Validated
@ConfigurationProperties(GatewayProperties.PREFIX)
public record GatewayProperties(
		@NotBlank @Pattern(regexp = "[a-z0-9]([a-z0-9.-]*[a-z0-9])?",
				message = "must be a lower-case domain name such as iotorq-lean.com") String baseDomain,
		@DefaultValue( {
				"www", "admin", "api", "app", "auth", "login", "logout", "oauth", "sso", "static", "assets", "cdn",
				"mail", "smtp", "status", "help", "support", "docs", "internal",
				"gateway" }) List<String> reservedSlugs,
		@DefaultValue({ "/actuator/**", "/admin/**" }) List<String> blockedPaths,
		@DefaultValue("") String trustedProxies,
		@DefaultValue("https") @Pattern(regexp = "https?", message = "must be https or http") String publicScheme){

	public static final String PREFIX = "lean.gateway";

	/**
	 * The address browsers use for an organisation, e.g.
	 * {@code https://acme.iotorq-lean.com}.
	 */
	public String publicOrigin(String slug) {
		return this.publicScheme + "://" + slug + "." + this.baseDomain;
	}

}
