package com.iotorq.lean.gateway.test.entra;

import java.net.URI;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code /oidc/userinfo}, standing in for Graph's: 401 unless a bearer access token
 * issued to a signed-in user is presented; then {@code sub} (the same pairwise value as
 * the ID token), {@code name}, {@code family_name}, {@code given_name}, {@code picture},
 * {@code email} — no {@code preferred_username}.
 */
final class UserinfoEndpoint {

	private final AccessTokens accessTokens;

	private final EntraClock clock;

	private final Supplier<URI> authority;

	UserinfoEndpoint(AccessTokens accessTokens, EntraClock clock, Supplier<URI> authority) {
		this.accessTokens = accessTokens;
		this.clock = clock;
		this.authority = authority;
	}

	Reply handle(TestEntra.Recorded request) {
		String token = bearer(request.header("Authorization"));
		AccessTokens.Holder holder = this.accessTokens.userToken(token, this.clock.now());
		if (holder == null) {
			return unauthorized(
					(token == null) ? "Access token is empty." : "Access token validation failure. Invalid audience.");
		}
		return Reply.json(200, claims(holder.app(), holder.user()));
	}

	private static Map<String, Object> claims(TestEntraApp app, TestEntraUser user) {
		Map<String, Object> claims = new LinkedHashMap<>();
		claims.put("sub", user.pairwiseSubject(app.clientId()));
		claims.put("name", user.name());
		putIfPresent(claims, "family_name", user.familyName());
		claims.put("given_name", user.givenName());
		claims.put("picture", "https://graph.microsoft.com/v1.0/me/photo/$value");
		putIfPresent(claims, "email", user.email());
		return claims;
	}

	/** Graph's 401: an error object, and a challenge naming the authorization server. */
	private Reply unauthorized(String message) {
		Map<String, Object> inner = new LinkedHashMap<>();
		inner.put("date", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
		inner.put("request-id", EntraIds.uuid());
		Map<String, Object> error = new LinkedHashMap<>();
		error.put("code", "InvalidAuthenticationToken");
		error.put("message", message);
		error.put("innerError", inner);
		return Reply.json(401, Map.of("error", error))
			.withHeader("WWW-Authenticate", "Bearer realm=\"\", authorization_uri=\"" + this.authority.get()
					+ "/common/oauth2/authorize\", client_id=\"00000003-0000-0000-c000-000000000000\"");
	}

	private static String bearer(String authorization) {
		if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
			return null;
		}
		String token = authorization.substring(7).trim();
		return token.isEmpty() ? null : token;
	}

	private static void putIfPresent(Map<String, Object> claims, String name, Object value) {
		if (value != null) {
			claims.put(name, value);
		}
	}

}
