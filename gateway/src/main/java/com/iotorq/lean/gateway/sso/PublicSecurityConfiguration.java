package com.iotorq.lean.gateway.sso;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.reactive.EnableWebFluxSecurity;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.server.SecurityWebFilterChain;

/**
 * Security of the public port.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebFluxSecurity
class PublicSecurityConfiguration {

	@Bean
	@Order(2)
	SecurityWebFilterChain publicSecurity(ServerHttpSecurity http) {
		return http.authorizeExchange(exchanges -> exchanges.anyExchange().permitAll())
			.csrf(csrf -> csrf.disable())
			.httpBasic(basic -> basic.disable())
			.formLogin(form -> form.disable())
			.logout(logout -> logout.disable())
			.build();
	}

}
