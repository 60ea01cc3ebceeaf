package com.iotorq.lean.gateway.tenant;

import reactor.core.publisher.Mono;

/**
 * Finds an organisation by its slug in the system of record.
 */
@FunctionalInterface
public interface TenantLookup {

	/**
	 * @return the tenant, or empty when no organisation owns the slug
	 */
	Mono<Tenant> findBySlug(String slug);

}
