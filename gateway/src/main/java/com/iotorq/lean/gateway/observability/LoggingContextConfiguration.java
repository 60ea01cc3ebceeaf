package com.iotorq.lean.gateway.observability;

import java.util.List;

import io.micrometer.context.ContextRegistry;
import io.micrometer.context.ThreadLocalAccessor;
import org.slf4j.MDC;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Lets the request id and tenant that filters put in the Reactor context reach the
 * logging MDC on whatever thread the request continues
 * ({@code spring.reactor.context-propagation=auto}), so every log line of a request
 * carries them.
 */
@Configuration(proxyBeanMethods = false)
class LoggingContextConfiguration {

	@Bean
	SmartInitializingSingleton requestMdcPropagation() {
		return () -> List.of(RequestContext.REQUEST_ID, RequestContext.TENANT)
			.forEach(key -> ContextRegistry.getInstance().registerThreadLocalAccessor(new MdcAccessor(key)));
	}

	/**
	 * One MDC entry, under the same key in the Reactor context. Registering again
	 * replaces it.
	 */
	private static final class MdcAccessor implements ThreadLocalAccessor<String> {

		private final String key;

		MdcAccessor(String key) {
			this.key = key;
		}

		@Override
		public Object key() {
			return this.key;
		}

		@Override
		public String getValue() {
			return MDC.get(this.key);
		}

		@Override
		public void setValue(String value) {
			MDC.put(this.key, value);
		}

		@Override
		public void setValue() {
			MDC.remove(this.key);
		}

	}

}
