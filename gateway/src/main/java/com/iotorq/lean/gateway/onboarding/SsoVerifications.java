package com.iotorq.lean.gateway.onboarding;

import java.util.Collection;
import java.util.Map;
import java.util.UUID;

import reactor.core.publisher.Mono;

import com.iotorq.lean.gateway.tenant.Tenant;

/**
 * Verifies an organisation's SSO credentials and keeps the result as its last
 * verification.
 */
public final class SsoVerifications {

	private final SsoVerifier verifier;

	private final SsoVerificationRepository repository;

	public SsoVerifications(SsoVerifier verifier, SsoVerificationRepository repository) {
		this.verifier = verifier;
		this.repository = repository;
	}

	/**
	 * @param tenant an organisation with SSO settings, as stored
	 */
	public Mono<SsoVerification> verifyAndRecord(Tenant tenant) {
		return this.verifier.verify(tenant)
			.flatMap(verification -> this.repository.save(tenant.id(), verification).thenReturn(verification));
	}

	/** The last verification, empty when there was none since SSO was set up. */
	public Mono<SsoVerification> last(Tenant tenant) {
		return this.repository.find(tenant.id());
	}

	/**
	 * The last verifications of those of these organisations that have one, by tenant id.
	 */
	public Mono<Map<UUID, SsoVerification>> last(Collection<Tenant> tenants) {
		return this.repository.findAll(tenants.stream().filter(Tenant::hasSso).map(Tenant::id).toList());
	}

}
