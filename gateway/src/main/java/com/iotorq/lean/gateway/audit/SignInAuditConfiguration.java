package com.iotorq.lean.gateway.audit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import com.iotorq.lean.gateway.config.PeriodicTask;

@Configuration(proxyBeanMethods = false)
class SignInAuditConfiguration {

	private static final Logger logger = LoggerFactory.getLogger(SignInAuditConfiguration.class);

	/**
	 * Deletes sign-in attempts past the retention; every replica may run it, deleting
	 * twice is harmless.
	 */
	@Bean
	PeriodicTask signInAuditPruning(SignInEventRepository events, SignInAuditProperties properties) {
		return new PeriodicTask("sign-in audit pruning", properties.pruneInterval(), properties.pruneInterval(),
				() -> events.prune(properties.signInRetention()).doOnNext(deleted -> {
					if (deleted > 0) {
						logger.info("Pruned {} sign-in attempts older than {}", deleted, properties.signInRetention());
					}
				}));
	}

}
