package com.iotorq.lean.gateway.observability;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.observation.SecurityObservationSettings;

/**
 * Spring Security observes each filter of its chain (a timer and a decorator per filter, on
 * every request), which cost about a tenth of the gateway's CPU per proxied request. The
 * gateway's own sign-in metrics ({@code lean_sign_ins_total}) and the request timers
 * ({@code http_server_requests}, {@code spring_cloud_gateway_requests}) say what operators need;
 * the per-filter timers are switched off, decorator included.
 */
@Configuration(proxyBeanMethods = false)
class FrameworkObservationConfiguration {

	@Bean
	SecurityObservationSettings securityObservationSettings() {
		return SecurityObservationSettings.noObservations();
	}

}
