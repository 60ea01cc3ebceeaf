package com.iotorq.lean.gateway.test;

import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.http.client.ReactorResourceFactory;

/**
 * Gives every gateway context started in the test JVM event loops of its own. By default
 * all contexts share Reactor Netty's global loops, and closing one context (a restart
 * test, a replica test) disposes them under the servers of every other cached context.
 * Registered in {@code META-INF/spring.factories} of the test classpath.
 */
public class OwnEventLoopsInitializer implements ApplicationContextInitializer<ConfigurableApplicationContext> {

	@Override
	public void initialize(ConfigurableApplicationContext context) {
		if (context instanceof GenericApplicationContext generic && context.getParent() == null) {
			generic.registerBean("reactorResourceFactory", ReactorResourceFactory.class, () -> {
				ReactorResourceFactory factory = new ReactorResourceFactory();
				factory.setUseGlobalResources(false);
				return factory;
			});
		}
	}

}
