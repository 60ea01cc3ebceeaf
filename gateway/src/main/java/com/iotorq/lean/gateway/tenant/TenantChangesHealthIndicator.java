package com.iotorq.lean.gateway.tenant;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Whether this replica hears about organisation changes made on other replicas (health
 * details only, never readiness: without the listener, changes still arrive with the
 * cache refresh, and every cached organisation is reloaded once it reconnects).
 */
@Component("tenantChanges")
public class TenantChangesHealthIndicator implements HealthIndicator {

	private final TenantChangeListener listener;

	public TenantChangesHealthIndicator(TenantChangeListener listener) {
		this.listener = listener;
	}

	@Override
	public Health health() {
		boolean connected = this.listener.isConnected();
		return (connected ? Health.up() : Health.down()).withDetail("connected", connected).build();
	}

}
