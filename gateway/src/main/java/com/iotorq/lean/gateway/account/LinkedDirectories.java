package com.iotorq.lean.gateway.account;

import com.iotorq.lean.gateway.tenant.SsoSettings;

/**
 * The directory an organisation's accounts are linked to, as its identity provider names
 * it in the sign-ins it records ({@link SignInIdentity#directoryId()}). The identity
 * providers answer; accounts only ask.
 */
public interface LinkedDirectories {

	/** The directory of the organisation with these SSO settings. */
	String linkedDirectory(SsoSettings settings);

}
