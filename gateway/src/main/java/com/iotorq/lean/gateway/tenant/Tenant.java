package com.iotorq.lean.gateway.tenant;

import java.net.URI;
import java.time.Instant;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

import com.iotorq.lean.gateway.observability.LoggedTenant;

/**
 * An organisation served by the gateway on its own subdomain.
 *
 * @param id stable identifier
 * @param slug the subdomain label, e.g. {@code acme}
 * @param displayName the organisation's name as people read it
 * @param backendUri the organisation's own backend, or {@code null} for the default
 * backend
 * @param createdAt when the organisation was registered
 * @param updatedAt when it last changed
 * @param sso how its users sign in, or {@code null} when the gateway does not sign them
 * in
 * @param requestsPerSecond its own request rate limit, or {@code null} for the configured
 * default
 * @param ssoSessionVersion the version of the SSO settings that sessions are bound to: a
 * number never used before whenever who may sign in changes (directory, client ID,
 * allowed groups) and when the settings are created, so also when the organisation is
 * created again; 0 without SSO
 * @param technicalContactEmail whom to mail when the organisation's SSO credential is
 * about to expire (usually its Entra administrator), if anyone
 */
public record Tenant(UUID id, String slug, String displayName, @Nullable URI backendUri, Instant createdAt,
		Instant updatedAt, @Nullable SsoSettings sso, @Nullable Integer requestsPerSecond, long ssoSessionVersion,
		@Nullable String technicalContactEmail) implements LoggedTenant {

	/** An organisation without a technical contact. */
	public Tenant(UUID id, String slug, String displayName, @Nullable URI backendUri, Instant createdAt,
			Instant updatedAt, @Nullable SsoSettings sso, @Nullable Integer requestsPerSecond, long ssoSessionVersion) {
		this(id, slug, displayName, backendUri, createdAt, updatedAt, sso, requestsPerSecond, ssoSessionVersion, null);
	}

	/** An organisation whose SSO settings (if any) have no session version yet. */
	public Tenant(UUID id, String slug, String displayName, @Nullable URI backendUri, Instant createdAt,
			Instant updatedAt, @Nullable SsoSettings sso, @Nullable Integer requestsPerSecond) {
		this(id, slug, displayName, backendUri, createdAt, updatedAt, sso, requestsPerSecond, 0);
	}

	/** An organisation with the default request rate limit. */
	public Tenant(UUID id, String slug, String displayName, @Nullable URI backendUri, Instant createdAt,
			Instant updatedAt, @Nullable SsoSettings sso) {
		this(id, slug, displayName, backendUri, createdAt, updatedAt, sso, null);
	}

	/** Whether the gateway signs this organisation's users in. */
	public boolean hasSso() {
		return this.sso != null;
	}

	/**
	 * The SSO settings of an organisation whose users the gateway signs in.
	 * @throws IllegalStateException when it has none: check {@link #hasSso()} first
	 */
	public SsoSettings requiredSso() {
		Assert.state(this.sso != null, () -> "Organisation " + this.slug + " has no SSO settings");
		return this.sso;
	}

}
