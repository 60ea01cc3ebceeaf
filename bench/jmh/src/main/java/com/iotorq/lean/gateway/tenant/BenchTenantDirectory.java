package com.iotorq.lean.gateway.tenant;

import java.util.Map;

import reactor.core.publisher.Mono;

/**
 * A warm {@link TenantDirectory} for benchmarks outside this package: the 10,000 tenants
 * of {@link TenantResolutionBenchmark} plus the named ones a benchmark sends its requests
 * to.
 */
public final class BenchTenantDirectory {

	private BenchTenantDirectory() {
	}

	/**
	 * A tenant shaped like {@link BenchTenants}' rows, with or without SSO, and its own
	 * rate limit and session version.
	 */
	public static Tenant tenant(String slug, boolean sso, int requestsPerSecond, long ssoSessionVersion) {
		Tenant row = BenchTenants.tenant(slug);
		return new Tenant(row.id(), row.slug(), row.displayName(), null, row.createdAt(), row.updatedAt(),
				sso ? row.sso() : null, requestsPerSecond, sso ? ssoSessionVersion : 0);
	}

	/**
	 * Every tenant cached, as requests leave the directory once they have all been seen.
	 */
	public static TenantDirectory filled(Map<String, Tenant> named) {
		TenantDirectory directory = new TenantDirectory(
				slug -> Mono.just(named.containsKey(slug) ? named.get(slug) : BenchTenants.tenant(slug)),
				BenchTenants.settings());
		for (int i = 0; i < 10_000; i++) {
			directory.find(BenchTenants.slug(i)).block();
		}
		named.keySet().forEach(slug -> directory.find(slug).block());
		return directory;
	}

	public static TenantCacheProperties settings() {
		return BenchTenants.settings();
	}

	public static String baseDomain() {
		return BenchTenants.BASE_DOMAIN;
	}

}
