package com.iotorq.lean.gateway.onboarding;

import java.time.Duration;
import java.util.List;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Mailing an organisation's technical contact a fresh setup link before its SSO
 * credential expires, so that its own Entra administrator renews it without LEAN support.
 *
 * @param days mail when the credential has this many days left or fewer: once per
 * threshold per credential across all replicas
 * @param linkValidFor how long the mailed setup link may be opened (at most 168 hours, as
 * for links support creates)
 * @param mailFrom the sender of the reminders
 * @param checkInterval how often expiry dates are checked
 * @param initialDelay the first check after start
 */
@Validated
@ConfigurationProperties(RenewalReminderProperties.PREFIX)
public record RenewalReminderProperties(@DefaultValue( {
		"30", "14", "7" }) @NotEmpty List<Integer> days, @DefaultValue("7d") @NotNull Duration linkValidFor,
		@DefaultValue("ioTORQ LEAN <no-reply@iotorq-lean.com>") @NotBlank String mailFrom,
		@DefaultValue("1h") @NotNull Duration checkInterval, @DefaultValue("45s") @NotNull Duration initialDelay){

	public static final String PREFIX = "lean.sso.renewal-reminders";

	@AssertTrue(message = "link-valid-for must be from 1 hour to 168 hours")
	boolean isLinkValidForInRange() {
		return this.linkValidFor == null || (this.linkValidFor.compareTo(Duration.ofHours(1)) >= 0
				&& this.linkValidFor.compareTo(Duration.ofHours(168)) <= 0);
	}

	@AssertTrue(message = "days must all be positive")
	boolean isDaysPositive() {
		return this.days == null || this.days.stream().allMatch(day -> day != null && day > 0);
	}

}
