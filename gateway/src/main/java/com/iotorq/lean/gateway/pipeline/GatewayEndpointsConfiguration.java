package com.iotorq.lean.gateway.pipeline;

import reactor.core.publisher.Mono;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.WebFilterChainProxy;

import com.iotorq.lean.gateway.activation.AccountActivation;
import com.iotorq.lean.gateway.activation.AccountPagesFilter;
import com.iotorq.lean.gateway.setup.SetupPagesFilter;
import com.iotorq.lean.gateway.sso.endpoints.GatewayEndpoints;
import com.iotorq.lean.gateway.sso.login.SignInRequestLimits;
import com.iotorq.lean.gateway.sso.pages.AdminConsentFlow;
import com.iotorq.lean.gateway.sso.pages.SignInChooser;
import com.iotorq.lean.gateway.sso.pages.SignInPagesFilter;

/**
 * Puts the gateway's own endpoints together: the account pages, the setup page and the
 * sign-in endpoints with Spring Security's public chain. Here, at the top of the
 * pipeline, so that none of the capabilities they come from needs to know the others.
 */
@Configuration(proxyBeanMethods = false)
class GatewayEndpointsConfiguration {

	/**
	 * The gateway's own endpoints with Spring Security's public chain: none of these is a
	 * web filter of its own, so a request for a backend never meets them.
	 */
	@Bean
	GatewayEndpoints gatewayEndpoints(@Qualifier("publicSecurity") SecurityWebFilterChain publicSecurity,
			SignInRequestLimits signInLimits, AdminConsentFlow adminConsent, SignInChooser chooser,
			AccountActivation activation, SetupPagesFilter setup) {
		WebFilterChainProxy signInChain = new WebFilterChainProxy(publicSecurity);
		// the firewall's refusals get the gateway's own 400
		signInChain.setExchangeRejectedHandler(new FirewallRejections());
		return new GatewayEndpoints(new AccountPagesFilter(activation), signInLimits::filter,
				new SignInPagesFilter(adminConsent), signInChain, chooser::filter, setup::filter,
				(exchange, chain) -> setup.callback(exchange)
					.flatMap(answered -> answered ? Mono.<Void>empty() : chain.filter(exchange)));
	}

}
