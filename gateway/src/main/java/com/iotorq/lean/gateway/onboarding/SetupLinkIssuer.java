package com.iotorq.lean.gateway.onboarding;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import com.iotorq.lean.gateway.tenant.Tenant;

/**
 * Creates the one-time links that open an organisation's self-service SSO setup page.
 * Used by the admin API (LEAN support) and by the credential renewal reminders; neither
 * mails here: each caller words its own message.
 */
public interface SetupLinkIssuer {

	/**
	 * Creates a link and stores only the hash of its token.
	 * @param actor who asked for it, for the audit log (e.g. {@code admin:alice} or
	 * {@code renewal reminder})
	 * @param tenant the organisation whose host the link works on
	 * @param email whom it is meant for, if known (stored, never required)
	 * @param validFor how long the link may be opened
	 * @return the link, whose {@code url} carries the token: the only time it is ever
	 * seen
	 */
	Mono<IssuedSetupLink> issue(String actor, Tenant tenant, @Nullable String email, Duration validFor);

	/**
	 * @param id the link's id, as listed and revoked through the admin API
	 * @param url {@code <public origin of the organisation>/oauth/setup/<token>}
	 * @param expiresAt when it stops opening
	 */
	record IssuedSetupLink(UUID id, String url, Instant expiresAt) {
	}

}
