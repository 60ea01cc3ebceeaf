package com.iotorq.lean.gateway.identity;

import java.nio.charset.StandardCharsets;

import org.jspecify.annotations.Nullable;

import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.util.UriUtils;

import com.iotorq.lean.gateway.account.LeanUser;
import com.iotorq.lean.gateway.config.BenchAblation;
import com.iotorq.lean.gateway.routing.BackendHeaders;
import com.iotorq.lean.gateway.routing.HeaderHygieneFilter;
import com.iotorq.lean.gateway.routing.LeanHeaders;

/**
 * Tells the backend who the signed-in user is: {@code X-Lean-User-Id}, {@code -Email},
 * {@code -Name} and the signed {@code X-Lean-Identity}, through {@link BackendHeaders}:
 * whatever the client sent under these names never reaches the backend
 * ({@link HeaderHygieneFilter}).
 * <p>
 * Header values are ASCII: a value with other characters, or one that itself begins with
 * {@code UTF-8''} (in any case), is sent as RFC 8187 {@code UTF-8''} followed by its
 * percent-encoded UTF-8 bytes, so that every value reads one way only. The signed
 * assertion carries the exact values.
 */
public final class IdentityHeaders {

	/** RFC 8187's prefix of an encoded value: the charset and an empty language tag. */
	private static final String ENCODED = "UTF-8''";

	private final IdentityAssertions assertions;

	private final boolean on;

	public IdentityHeaders(IdentityAssertions assertions, BenchAblation ablation) {
		this.assertions = assertions;
		this.on = ablation.isOn(BenchAblation.Feature.IDENTITY_HEADERS);
	}

	/**
	 * The pipeline's identity step: the headers for the backend, of the person signed in
	 * on this request.
	 */
	public void add(ServerWebExchange exchange, LeanUser user) {
		if (!this.on) {
			return;
		}
		BackendHeaders headers = BackendHeaders.of(exchange);
		headers.set(LeanHeaders.USER_ID, user.accountId().toString());
		headers.set(LeanHeaders.USER_EMAIL, headerValue(user.email()));
		if (user.displayName() != null) {
			headers.set(LeanHeaders.USER_NAME, headerValue(user.displayName()));
		}
		headers.set(LeanHeaders.IDENTITY, this.assertions.assertionFor(user));
	}

	static String headerValue(@Nullable String value) {
		if (value == null) {
			return "";
		}
		if (value.regionMatches(true, 0, ENCODED, 0, ENCODED.length())) {
			// plain ASCII, but a backend would decode it: "UTF-8''ceo%40acme.com" must
			// not read as ceo@acme.com
			return encoded(value);
		}
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			if (c < 0x20 || c > 0x7e) {
				return encoded(value);
			}
		}
		return value;
	}

	private static String encoded(String value) {
		return ENCODED + UriUtils.encode(value, StandardCharsets.UTF_8);
	}

}
