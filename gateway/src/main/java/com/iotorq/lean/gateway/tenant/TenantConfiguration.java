package com.iotorq.lean.gateway.tenant;

import java.time.Duration;
import java.util.List;

import io.micrometer.core.instrument.MeterRegistry;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactoryOptions;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.r2dbc.autoconfigure.R2dbcConnectionDetails;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import com.iotorq.lean.gateway.config.GatewayProperties;

@Configuration(proxyBeanMethods = false)
class TenantConfiguration {

	@Bean
	TenantHost tenantHost(GatewayProperties properties) {
		return new TenantHost(properties.baseDomain());
	}

	/** The pipeline's tenant step. */
	@Bean
	TenantResolution tenantResolution(TenantHost hosts, TenantDirectory directory, GatewayProperties properties) {
		return new TenantResolution(hosts, directory, properties);
	}

	@Bean
	TenantDirectory tenantDirectory(TenantRepository repository, TenantCacheProperties cache, MeterRegistry meters) {
		TenantDirectory directory = new TenantDirectory(repository, cache);
		directory.bindTo(meters);
		return directory;
	}

	@Bean
	TenantChangeListener tenantChangeListener(R2dbcConnectionDetails database, TenantDirectory directory,
			ObjectProvider<TenantChangeListener.Channel> channels) {
		// a connection of its own, outside the pool: it is held for the application's
		// lifetime
		ConnectionFactoryOptions options = ConnectionFactoryOptions.builder()
			.from(database.getConnectionFactoryOptions())
			.option(ConnectionFactoryOptions.DRIVER, "postgresql")
			.build();
		List<TenantChangeListener.Channel> others = channels.orderedStream().toList();
		return new TenantChangeListener(ConnectionFactories.get(options), directory, others, Duration.ofSeconds(30));
	}

}
