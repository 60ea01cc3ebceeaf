package com.iotorq.lean.gateway.account;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.security.oauth2.core.oidc.OidcIdToken;

/**
 * An ID token whose claims hold only the JDK's own lists and maps. The JWT library parses
 * a JSON object inside a claim into a map class of its own (Nimbus' shaded Gson
 * {@code LinkedTreeMap}), as Entra sends in {@code _claim_names}/{@code _claim_sources}
 * when a person has too many groups; the session store names each value's class and
 * accepts only a fixed list of them, so such a token would be unreadable and its person
 * signed out on their next request.
 */
final class PlainClaims {

	private PlainClaims() {
	}

	static OidcIdToken of(OidcIdToken token) {
		Map<String, Object> claims = new LinkedHashMap<>();
		token.getClaims().forEach((name, value) -> claims.put(name, plain(value)));
		return new OidcIdToken(token.getTokenValue(), token.getIssuedAt(), token.getExpiresAt(), claims);
	}

	private static @Nullable Object plain(@Nullable Object value) {
		if (value instanceof Map<?, ?> map) {
			Map<Object, @Nullable Object> copy = new LinkedHashMap<>();
			map.forEach((key, item) -> copy.put(key, plain(item)));
			return copy;
		}
		if (value instanceof List<?> list) {
			List<@Nullable Object> copy = new ArrayList<>(list.size());
			list.forEach(item -> copy.add(plain(item)));
			return copy;
		}
		return value;
	}

}
