package com.iotorq.lean.gateway.observability;

import java.util.concurrent.atomic.AtomicInteger;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Spring's own log statements (commons-logging) pass lazily formatted messages; they must
 * only be formatted when their level is on. Spring Security logs the security context at
 * debug level in every signed-in request.
 */
class FrameworkLoggingTests {

	@Test
	void debugMessageWhenDebugOffThenNeverFormatted() {
		Log log = LogFactory.getLog("com.iotorq.lean.gateway.test.quiet");
		AtomicInteger formatted = new AtomicInteger();
		Object message = new Object() {
			@Override
			public String toString() {
				formatted.incrementAndGet();
				return "expensive";
			}
		};

		assertThat(log.isDebugEnabled()).isFalse();
		log.debug(message);
		log.trace(message);

		assertThat(formatted).hasValue(0);
	}

	@Test
	void infoMessageWhenInfoOnThenFormattedOnce() {
		Log log = LogFactory.getLog("com.iotorq.lean.gateway.test.quiet");
		AtomicInteger formatted = new AtomicInteger();

		log.info(new Object() {
			@Override
			public String toString() {
				formatted.incrementAndGet();
				return "worth it";
			}
		});

		assertThat(formatted).hasValue(1);
	}

}
