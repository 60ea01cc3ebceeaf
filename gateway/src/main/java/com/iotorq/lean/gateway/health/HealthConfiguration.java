package com.iotorq.lean.gateway.health;

import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.r2dbc.core.DatabaseClient;

import com.iotorq.lean.gateway.session.SessionProperties;
import com.iotorq.lean.gateway.tenant.TenantChangeListener;

@Configuration(proxyBeanMethods = false)
class HealthConfiguration {

	@Bean
	DependencyMonitor dependencyMonitor(DatabaseClient database, ObjectProvider<ReactiveRedisConnectionFactory> redis,
			SessionProperties sessions, TenantChangeListener listener, HealthProperties properties,
			MeterRegistry meters) {
		ReactiveRedisConnectionFactory sessionRedis = (sessions.store() == SessionProperties.Store.REDIS)
				? redis.getIfAvailable() : null;
		DependencyMonitor monitor = new DependencyMonitor(database, sessionRedis, listener, properties.probeInterval(),
				properties.probeTimeout());
		monitor.bindTo(meters);
		return monitor;
	}

}
