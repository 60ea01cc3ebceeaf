package com.iotorq.lean.gateway.credentials;

import java.time.Duration;
import java.util.List;

import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Watching organisations' certificates expire. The next certificate should be generated
 * 60 days or more before {@code notAfter}, so the customer has time to upload it and
 * support to verify.
 *
 * @param warningDays log a warning when the ACTIVE certificate has this many days left or
 * fewer, once per threshold per certificate across all replicas; and once more when it
 * has expired
 * @param checkInterval how often the certificates are checked (and the gauge refreshed)
 * @param initialDelay the first check after start
 */
@Validated
@ConfigurationProperties(CertificateExpiryProperties.PREFIX)
public record CertificateExpiryProperties(@DefaultValue( {
		"60", "30", "14", "7", "1" }) @NotEmpty List<Integer> warningDays,
		@DefaultValue("1h") @NotNull Duration checkInterval, @DefaultValue("30s") @NotNull Duration initialDelay){

	public static final String PREFIX = "lean.sso.certificate-expiry";

}
