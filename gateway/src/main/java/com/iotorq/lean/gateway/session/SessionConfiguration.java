package com.iotorq.lean.gateway.session;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.BeansException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.serializer.RedisSerializer;
import org.springframework.session.ReactiveSessionRepository;
import org.springframework.session.Session;
import org.springframework.session.SessionIdGenerator;
import org.springframework.session.UuidSessionIdGenerator;
import org.springframework.session.config.annotation.web.server.EnableSpringWebSession;
import org.springframework.session.data.redis.ReactiveRedisSessionRepository;
import org.springframework.web.server.session.WebSessionIdResolver;

/**
 * The session store ({@code lean.session.store}) and the session cookie. Both stores go
 * through Spring Session, so they behave alike: the memory store for one instance, Redis
 * so that any replica serves any user.
 */
@Configuration(proxyBeanMethods = false)
class SessionConfiguration {

	private static final Logger logger = LoggerFactory.getLogger(SessionConfiguration.class);

	/**
	 * The session cookie: host-only (no Domain, so one organisation's cookie never
	 * reaches another's host), HttpOnly, SameSite=Lax, and over https Secure and named
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
		 * Serialized session values remembered in their decoded form: a few thousand
		 * signed-in people per replica (tens of MB of heap); the less active ones are
		 * decoded as they come.
		 */
		static final long DECODED_VALUES_MAX_BYTES = 16L * 1024 * 1024;

		/**
		 * Session values as JSON of a few allowed types ({@link SessionJsonSerializer}),
		 * decoded once for as long as they do not change ({@link DecodedValueCache}).
		 */
		@Bean
		RedisSerializer<Object> springSessionDefaultRedisSerializer() {
			return new DecodedValueCache(new SessionJsonSerializer(), DECODED_VALUES_MAX_BYTES);
		}

		/**
		 * Connects to Redis while the gateway starts, never on an event loop
		 * ({@link SharedRedisConnection}).
		 */
		@Bean
		SharedRedisConnection sharedRedisConnection(ReactiveRedisConnectionFactory connections) {
			return new SharedRedisConnection(connections);
		}

		/** Sessions read recently, per replica ({@code lean.session.near-cache.*}). */
		@Bean
		@ConditionalOnProperty(name = NearCacheProperties.PREFIX + ".enabled", havingValue = "true",
				matchIfMissing = true)
		SessionNearCache sessionNearCache(NearCacheProperties properties, MeterRegistry meters) {
			SessionNearCache cache = new SessionNearCache(properties);
			cache.bindTo(meters);
			return cache;
		}

		/**
		 * Invalidations of near-cached sessions over Redis pub/sub, on a channel within
		 * the session namespace ({@code spring.session.data.redis.namespace}).
		 */
		@Bean
		@ConditionalOnProperty(name = NearCacheProperties.PREFIX + ".enabled", havingValue = "true",
				matchIfMissing = true)
		RedisSessionInvalidations redisSessionInvalidations(ReactiveRedisConnectionFactory connections,
				SessionNearCache cache, Environment environment) {
			String namespace = environment.getProperty("spring.session.data.redis.namespace",
					ReactiveRedisSessionRepository.DEFAULT_NAMESPACE);
			return new RedisSessionInvalidations(() -> {
				if (connections instanceof LettuceConnectionFactory lettuce) {
					return lettuce.getRequiredNativeClient();
				}
				throw new UnsupportedOperationException("the session near cache needs Lettuce");
			}, new ReactiveStringRedisTemplate(connections), namespace + ":invalidated", cache);
		}

		/**
		 * Wraps Spring Boot's Redis repository so that sessions read recently are served
		 * from this replica's near cache, unchanged sessions are not written back, an
		 * unreadable stored session counts as none, and Redis failures become a 503 page
		 * rather than an internal error. Only what reaches Redis is timed.
		 */
		@Bean
		static BeanPostProcessor touchThrottlingRedisSessions(ObjectProvider<SessionProperties> properties,
				ObjectProvider<NearCacheProperties> nearCacheProperties, ObjectProvider<MeterRegistry> meters,
				ObjectProvider<SessionNearCache> nearCache, ObjectProvider<RedisSessionInvalidations> invalidations,
				ObjectProvider<SessionIdGenerator> sessionIds) {
			return new BeanPostProcessor() {
				@Override
				public Object postProcessAfterInitialization(Object bean, String beanName) throws BeansException {
					if (!(bean instanceof ReactiveRedisSessionRepository redis)) {
						return bean;
					}
					PresetSessionIds ids = new PresetSessionIds(
							sessionIds.getIfAvailable(UuidSessionIdGenerator::getInstance));
					redis.setSessionIdGenerator(ids);
					ReactiveSessionRepository<Session> store = new TimedSessionRepository(asSessions(redis),
							meters.getObject(), "redis");
					if (nearCacheProperties.getObject().enabled()) {
						logger.info("Sessions are kept in Redis, with a near cache on each replica");
						store = new NearCachedSessionRepository(store, nearCache.getObject(),
								invalidations.getObject()::publish, ids);
					}
					else {
						logger.info("Sessions are kept in Redis");
					}
					return new ErrorMappingSessionRepository(
							new TouchThrottlingSessionRepository<>(store, properties.getObject().touchInterval()));
				}
			};
		}

		/**
		 * The Redis repository as one of any session: it is only ever handed back the
		 * sessions it created or found.
		 */
		@SuppressWarnings({ "unchecked", "rawtypes" })
		private static ReactiveSessionRepository<Session> asSessions(ReactiveRedisSessionRepository redis) {
			return (ReactiveSessionRepository) new UnreadableSessionsAsAbsent<>(redis);
		}

	}

}
