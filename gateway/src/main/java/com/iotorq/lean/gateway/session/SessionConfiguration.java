package com.iotorq.lean.gateway.session;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.BeansException;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.serializer.RedisSerializer;
import org.springframework.session.ReactiveSessionRepository;
import org.springframework.session.Session;
import org.springframework.session.config.annotation.web.server.EnableSpringWebSession;
import org.springframework.session.data.redis.ReactiveRedisSessionRepository;
import org.springframework.web.server.session.WebSessionIdResolver;

/**
 * The session store ({@code lean.session.store}) and the session cookie. Both stores go
 * through Spring Session, so they behave alike: the memory store for one instance, Redis so
 * that any replica serves any user.
 */
@Configuration(proxyBeanMethods = false)
class SessionConfiguration {

	private static final Logger logger = LoggerFactory.getLogger(SessionConfiguration.class);

	/**
	 * The session cookie: host-only (no Domain, so one organisation's cookie never reaches
	 * another's host), HttpOnly, SameSite=Lax, and over https Secure and named
	 * {@code __Host-LEAN_SESSION} ({@link SessionCookieResolver}).
	 */
	@Bean
	WebSessionIdResolver webSessionIdResolver(SessionProperties properties) {
		return new SessionCookieResolver(properties.cookieName());
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnProperty(name = SessionProperties.PREFIX + ".store", havingValue = "memory", matchIfMissing = true)
	@EnableSpringWebSession
	static class MemoryStore {

		@Bean(destroyMethod = "close")
		MemorySessions memorySessions(SessionProperties properties) {
			logger.info("Sessions are kept in memory: use lean.session.store=redis with more than one replica");
			return new MemorySessions(properties);
		}

		@Bean
		ReactiveSessionRepository<Session> sessionRepository(MemorySessions sessions,
				io.micrometer.core.instrument.MeterRegistry meters) {
			return new TimedSessionRepository(sessions.repository(), meters, "memory");
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnProperty(name = SessionProperties.PREFIX + ".store", havingValue = "redis")
	static class RedisStore {

		/**
		 * Serialized session values remembered in their decoded form: a few thousand signed-in
		 * people per replica (tens of MB of heap); the less active ones are decoded as they come.
		 */
		static final long DECODED_VALUES_MAX_BYTES = 16L * 1024 * 1024;

		/**
		 * Session values as JSON of a few allowed types ({@link SessionJsonSerializer}), decoded
		 * once for as long as they do not change ({@link DecodedValueCache}).
		 */
		@Bean
		RedisSerializer<Object> springSessionDefaultRedisSerializer() {
			return new DecodedValueCache(new SessionJsonSerializer(), DECODED_VALUES_MAX_BYTES);
		}

		/**
		 * Wraps Spring Boot's Redis repository so that unchanged sessions are not written back, an
		 * unreadable stored session counts as none, and Redis failures become a 503 page rather
		 * than an internal error.
		 */
		@Bean
		static BeanPostProcessor touchThrottlingRedisSessions(
				org.springframework.beans.factory.ObjectProvider<SessionProperties> properties,
				org.springframework.beans.factory.ObjectProvider<io.micrometer.core.instrument.MeterRegistry> meters) {
			return new BeanPostProcessor() {
				@Override
				public Object postProcessAfterInitialization(Object bean, String beanName) throws BeansException {
					if (bean instanceof ReactiveRedisSessionRepository redis) {
						logger.info("Sessions are kept in Redis");
						return new ErrorMappingSessionRepository(new TimedSessionRepository(
								new TouchThrottlingSessionRepository<>(new UnreadableSessionsAsAbsent<>(redis),
										properties.getObject().touchInterval()),
								meters.getObject(), "redis"));
					}
					return bean;
				}
			};
		}

	}

}
