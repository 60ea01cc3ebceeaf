package com.iotorq.lean.gateway.tenant;

import java.net.URI;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Locale;
import java.util.UUID;

import com.iotorq.lean.gateway.secrets.SealedSecret;

/**
 * Tenants shaped like the rows {@code TenantRepository} reads: every string a fresh
 * object (as a database driver makes them), SSO settings with a sealed secret of
 * realistic size, one in ten with its own backend.
 */
final class BenchTenants {

	static final String BASE_DOMAIN = "iotorq-lean.com";

	private BenchTenants() {
	}

	static String slug(int i) {
		return String.format(Locale.ROOT, "org-%05d", i);
	}

	static Tenant tenant(String slug) {
		int n = Math.abs(slug.hashCode());
		Instant created = Instant.parse("2026-01-01T00:00:00Z").plusSeconds(n % 10_000_000);
		URI backend = (n % 10 == 0) ? URI.create("http://" + slug + "-backend.lean.svc:8000") : null;
		byte[] sealed = new byte[12 + 40 + 16];
		sealed[0] = (byte) n;
		SsoSettings sso = new SsoSettings(new String("entra"), UUID.randomUUID().toString(),
				UUID.randomUUID().toString(), new SealedSecret(new String("k-3f9a1c2b7d4e"), sealed),
				LocalDate.of(2028, 1, 1), SsoSettings.Mode.REQUIRED, SsoSettings.Provisioning.EXISTING_ONLY, created);
		return new Tenant(UUID.randomUUID(), new String(slug), "Organisation " + slug + " Ltd", backend, created,
				created, sso);
	}

	/** The cache settings of the operator's {@code config/application.yml}. */
	static TenantCacheProperties settings() {
		return new TenantCacheProperties(10_000, java.time.Duration.ofMinutes(1), java.time.Duration.ofHours(24),
				10_000, java.time.Duration.ofSeconds(30), java.time.Duration.ofSeconds(3));
	}

}
