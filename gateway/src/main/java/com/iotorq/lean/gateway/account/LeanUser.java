package com.iotorq.lean.gateway.account;

import java.io.Serial;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.oauth2.core.oidc.OidcIdToken;
import org.springframework.security.oauth2.core.oidc.user.DefaultOidcUser;

/**
 * A person signed in to one organisation: their LEAN account and the identity provider's
 * view of them. Kept in the session; carries no IdP access or refresh token.
 */
public final class LeanUser extends DefaultOidcUser {

	@Serial
	private static final long serialVersionUID = 1L;

	private final UUID accountId;

	private final String tenantSlug;

	/** Null only in a session stored before sessions were bound to the organisation. */
	private final @Nullable UUID tenantId;

	private final long ssoSessionVersion;

	private final String email;

	private final @Nullable String displayName;

	private final String idpObjectId;

	private final String idpDirectoryId;

	private final Instant signedInAt;

	/**
	 * @param tenantSlug the organisation signed in to
	 * @param tenantId its id
	 * @param ssoSessionVersion its {@code Tenant#ssoSessionVersion()} when the person
	 * signed in
	 */
	public LeanUser(OidcIdToken idToken, Account account, String tenantSlug, UUID tenantId, long ssoSessionVersion,
			String idpDirectoryId, String idpObjectId, Instant signedInAt) {
		this(PlainClaims.of(idToken), account.id(), tenantSlug, tenantId, ssoSessionVersion, account.email(),
				account.displayName(), idpDirectoryId, idpObjectId, signedInAt);
	}

	/**
	 * Every field as a parameter: how the session store restores a user
	 * ({@link LeanUserJson} names the same parameters).
	 */
	LeanUser(OidcIdToken idToken, UUID accountId, String tenantSlug, @Nullable UUID tenantId, long ssoSessionVersion,
			String email, @Nullable String displayName, String idpDirectoryId, String idpObjectId, Instant signedInAt) {
		super(AuthorityUtils.createAuthorityList("ROLE_USER"), idToken, "sub");
		this.accountId = accountId;
		this.tenantSlug = tenantSlug;
		this.tenantId = tenantId;
		this.ssoSessionVersion = ssoSessionVersion;
		this.email = email;
		this.displayName = displayName;
		this.idpDirectoryId = idpDirectoryId;
		this.idpObjectId = idpObjectId;
		this.signedInAt = signedInAt;
	}

	public UUID accountId() {
		return this.accountId;
	}

	public String tenantSlug() {
		return this.tenantSlug;
	}

	/** The id of the organisation signed in to; a slug can be reused, an id cannot. */
	public @Nullable UUID tenantId() {
		return this.tenantId;
	}

	/** The version of the organisation's SSO settings the person signed in under. */
	public long ssoSessionVersion() {
		return this.ssoSessionVersion;
	}

	public String email() {
		return this.email;
	}

	public @Nullable String displayName() {
		return this.displayName;
	}

	/** The issuer of the ID token the person signed in with. */
	public String idpIssuer() {
		return getIdToken().getIssuer().toString();
	}

	public String idpDirectoryId() {
		return this.idpDirectoryId;
	}

	public String idpObjectId() {
		return this.idpObjectId;
	}

	public Instant signedInAt() {
		return this.signedInAt;
	}

	@Override
	public String getName() {
		return this.accountId.toString();
	}

	@Override
	public boolean equals(Object other) {
		return other instanceof LeanUser user && super.equals(other) && user.accountId.equals(this.accountId)
				&& user.tenantSlug.equals(this.tenantSlug);
	}

	@Override
	public int hashCode() {
		return super.hashCode() * 31 + this.accountId.hashCode();
	}

	@Override
	public String toString() {
		return "LeanUser[account=" + this.accountId + ", tenant=" + this.tenantSlug + "]";
	}

}
