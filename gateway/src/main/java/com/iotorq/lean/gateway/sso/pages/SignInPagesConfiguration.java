package com.iotorq.lean.gateway.sso.pages;

import java.time.Clock;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import com.iotorq.lean.gateway.sso.provider.IdentityProviders;

/**
 * The sign-in pages outside Spring Security's login flow: the chooser and admin consent.
 */
@Configuration(proxyBeanMethods = false)
class SignInPagesConfiguration {

	/**
	 * The chooser's password-login page; its {@code /oauth/choose} runs among the
	 * endpoints.
	 */
	@Bean
	SignInChooser signInChooser(SignInChooserProperties properties) {
		return new SignInChooser(properties);
	}

	@Bean
	AdminConsentFlow adminConsentFlow(IdentityProviders providers, Clock clock) {
		return new AdminConsentFlow(providers, clock);
	}

}
