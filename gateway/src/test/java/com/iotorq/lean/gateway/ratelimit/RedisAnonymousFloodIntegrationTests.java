package com.iotorq.lean.gateway.ratelimit;

import org.springframework.test.context.TestPropertySource;

/**
 * The same with the Redis session store: the budgets are counted in Redis, across
 * replicas.
 */
@TestPropertySource(properties = "lean.session.store=redis")
class RedisAnonymousFloodIntegrationTests extends AnonymousFloodIntegrationTests {

}
