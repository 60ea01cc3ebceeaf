package com.iotorq.lean.gateway.test;

import java.net.URI;
import java.time.Instant;
import java.util.Locale;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import com.iotorq.lean.gateway.tenant.SsoSettings;
import com.iotorq.lean.gateway.tenant.Tenant;

/**
 * Organisations for unit tests:
 * {@code tenant().slug("globex").sso(TestSsoSettings.entra()).build()} instead of a
 * ten-argument constructor call. A test sets what it depends on; the rest are defaults: a
 * random id, slug {@code acme}, its display name from the slug, the default backend, no
 * SSO, the default rate limit, no technical contact.
 */
public final class TestTenants {

	/** When the default organisation was created and last changed. */
	public static final Instant CREATED = Instant.parse("2026-01-01T00:00:00Z");

	private TestTenants() {
	}

	/** An organisation {@code acme} without SSO, to be adjusted. */
	public static Builder tenant() {
		return new Builder();
	}

	/** An organisation with this slug and no SSO. */
	public static Tenant tenant(String slug) {
		return tenant().slug(slug).build();
	}

	public static final class Builder {

		private UUID id = UUID.randomUUID();

		private String slug = "acme";

		private @Nullable String displayName;

		private @Nullable URI backendUri;

		private Instant createdAt = CREATED;

		private Instant updatedAt = CREATED;

		private @Nullable SsoSettings sso;

		private @Nullable Integer requestsPerSecond;

		private long ssoSessionVersion;

		private @Nullable String technicalContactEmail;

		private Builder() {
		}

		public Builder id(UUID id) {
			this.id = id;
			return this;
		}

		public Builder slug(String slug) {
			this.slug = slug;
			return this;
		}

		public Builder displayName(String displayName) {
			this.displayName = displayName;
			return this;
		}

		public Builder backendUri(@Nullable URI backendUri) {
			this.backendUri = backendUri;
			return this;
		}

		/** Created and last changed at this instant. */
		public Builder at(Instant instant) {
			this.createdAt = instant;
			this.updatedAt = instant;
			return this;
		}

		public Builder updatedAt(Instant updatedAt) {
			this.updatedAt = updatedAt;
			return this;
		}

		public Builder sso(@Nullable SsoSettings sso) {
			this.sso = sso;
			return this;
		}

		public Builder sso(TestSsoSettings.Builder sso) {
			return sso(sso.build());
		}

		public Builder requestsPerSecond(@Nullable Integer requestsPerSecond) {
			this.requestsPerSecond = requestsPerSecond;
			return this;
		}

		public Builder ssoSessionVersion(long ssoSessionVersion) {
			this.ssoSessionVersion = ssoSessionVersion;
			return this;
		}

		public Builder technicalContactEmail(@Nullable String technicalContactEmail) {
			this.technicalContactEmail = technicalContactEmail;
			return this;
		}

		public Tenant build() {
			String name = (this.displayName != null) ? this.displayName
					: this.slug.substring(0, 1).toUpperCase(Locale.ROOT) + this.slug.substring(1);
			return new Tenant(this.id, this.slug, name, this.backendUri, this.createdAt, this.updatedAt, this.sso,
					this.requestsPerSecond, this.ssoSessionVersion, this.technicalContactEmail);
		}

	}

}
