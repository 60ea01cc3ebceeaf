package com.iotorq.lean.gateway.test.entra;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Opaque access tokens issued by the token endpoint, remembered so {@code /oidc/userinfo}
 * can tell whose they are. Thread-safe.
 */
final class AccessTokens {

	/** Entra's {@code expires_in}. */
	static final int lifetimeSeconds = 3599;

	private final Map<String, Holder> tokens = new ConcurrentHashMap<>();

	/** A new token for a user signed in to an app. */
	String issue(TestEntraApp app, TestEntraUser user, Instant now) {
		return remember(new Holder(app, user, now.plus(Duration.ofSeconds(lifetimeSeconds))));
	}

	/** A new app-only token (client credentials): userinfo refuses it. */
	String issueAppOnly(TestEntraApp app, Instant now) {
		return remember(new Holder(app, null, now.plus(Duration.ofSeconds(lifetimeSeconds))));
	}

	/** Whose token this is, or {@code null} if it is unknown, expired or app-only. */
	Holder userToken(String token, Instant now) {
		Holder holder = (token != null) ? this.tokens.get(token) : null;
		return (holder != null && holder.user() != null && now.isBefore(holder.expiresAt())) ? holder : null;
	}

	private String remember(Holder holder) {
		String token = "eyJ0eXAiOiJKV1QiLCJub25jZSI6" + EntraIds.opaque(96);
		this.tokens.put(token, holder);
		return token;
	}

	/** The app and user (none for app-only tokens) a token was issued to. */
	record Holder(TestEntraApp app, TestEntraUser user, Instant expiresAt) {
	}

}
