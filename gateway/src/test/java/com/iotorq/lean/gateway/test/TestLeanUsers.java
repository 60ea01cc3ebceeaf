package com.iotorq.lean.gateway.test;

import java.time.Instant;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import org.springframework.security.oauth2.core.oidc.OidcIdToken;

import com.iotorq.lean.gateway.account.Account;
import com.iotorq.lean.gateway.account.LeanUser;
import com.iotorq.lean.gateway.tenant.Tenant;

/**
 * Signed-in people for unit tests: an active account of the organisation, linked to an
 * identity in its directory, signed in under its current SSO settings version.
 */
public final class TestLeanUsers {

	/** When the people signed in. */
	public static final Instant SIGNED_IN = TestTenants.CREATED;

	private TestLeanUsers() {
	}

	/** Ada, signed in to this organisation. */
	public static LeanUser signedInTo(Tenant tenant) {
		return signedInTo(tenant, "ada@" + tenant.slug() + ".example", "Ada Lovelace");
	}

	/** Someone with this email and name, signed in to this organisation. */
	public static LeanUser signedInTo(Tenant tenant, String email, @Nullable String displayName) {
		String directoryId = (tenant.sso() != null) ? tenant.sso().directoryId() : "tid";
		OidcIdToken token = OidcIdToken.withTokenValue("token")
			.subject("sub")
			.issuer("https://login.example/" + directoryId + "/v2.0")
			.issuedAt(SIGNED_IN)
			.expiresAt(SIGNED_IN.plusSeconds(3600))
			.build();
		Account account = new Account(UUID.randomUUID(), tenant.id(), email, displayName, Account.Status.ACTIVE,
				directoryId, "oid", SIGNED_IN, SIGNED_IN);
		return new LeanUser(token, account, tenant.slug(), tenant.id(), tenant.ssoSessionVersion(), directoryId, "oid",
				SIGNED_IN);
	}

}
