package com.iotorq.lean.gateway.sso.provider;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Generic OpenID Connect providers ({@code provider: "oidc"}).
 *
 * @param allowHttpIssuers whether an issuer may be a plain {@code http} URL; only for
 * local try-outs and tests (an ID token's keys fetched without TLS prove nothing), so off
 * unless the {@code local} profile turns it on
 */
@Validated
@ConfigurationProperties(OidcProperties.PREFIX)
public record OidcProperties(@DefaultValue("false") boolean allowHttpIssuers) {

	public static final String PREFIX = "lean.sso.oidc";

}
