package com.iotorq.lean.gateway.sso.pages;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The sign-in chooser of organisations whose SSO mode is OPTIONAL (while they migrate):
 * people sent to the backend's own password login page first choose between Microsoft and
 * that page.
 *
 * @param passwordLoginPath the backend's own login page, e.g. Django's
 * {@code /accounts/login/}
 * @param nextParameter the query parameter by which the backend says where to go after
 * its login, carried over to single sign-on
 */
@Validated
@ConfigurationProperties(SignInChooserProperties.PREFIX)
public record SignInChooserProperties(
		@DefaultValue("/accounts/login/") @NotBlank @Pattern(regexp = "/[^?#]*",
				message = "must be a path") String passwordLoginPath,
		@DefaultValue("next") @NotBlank String nextParameter) {

	public static final String PREFIX = "lean.sso.chooser";

}
