package com.iotorq.lean.gateway.activation;

import java.time.Duration;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Activation of accounts that an organisation's PENDING_ACTIVATION provisioning created.
 * The SMTP server is Spring Boot's {@code spring.mail.*} ({@code host}, {@code port},
 * {@code username}, {@code password}, {@code properties.mail.smtp.*}).
 *
 * @param activationTtl how long an activation link works
 * @param activationResendInterval the shortest time between two activation mails to one
 * account
 * @param mailFrom the sender of activation mails
 */
@Validated
@ConfigurationProperties(ActivationProperties.PREFIX)
public record ActivationProperties(@DefaultValue("72h") @NotNull Duration activationTtl,
		@DefaultValue("1m") @NotNull Duration activationResendInterval,
		@DefaultValue("ioTORQ LEAN <no-reply@iotorq-lean.com>") @NotBlank String mailFrom) {

	public static final String PREFIX = "lean.accounts";

}
