package com.iotorq.lean.gateway.identity;

import java.nio.charset.StandardCharsets;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.core.Ordered;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.util.UriUtils;

import com.iotorq.lean.gateway.account.LeanUser;
import com.iotorq.lean.gateway.routing.BackendHeaders;
import com.iotorq.lean.gateway.routing.HeaderHygieneFilter;
import com.iotorq.lean.gateway.routing.LeanHeaders;

/**
 * Tells the backend who the signed-in user is: {@code X-Lean-User-Id}, {@code -Email},
 * {@code -Name} and the signed {@code X-Lean-Identity}, through {@link BackendHeaders}: whatever
 * the client sent under these names never reaches the backend ({@link HeaderHygieneFilter}).
 * <p>
 * Header values are ASCII: a value with other characters, or one that itself begins with
 * {@code UTF-8''} (in any case), is sent as RFC 8187 {@code UTF-8''} followed by its percent-encoded
 * UTF-8 bytes, so that every value reads one way only. The signed assertion carries the exact values.
 */
@Component
public final class IdentityHeadersFilter implements GlobalFilter, Ordered {

	public static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 1000;

	/** RFC 8187's prefix of an encoded value: the charset and an empty language tag. */
	private static final String ENCODED = "UTF-8''";

	private final IdentityAssertions assertions;

	public IdentityHeadersFilter(IdentityAssertions assertions) {
		this.assertions = assertions;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
		return ReactiveSecurityContextHolder.getContext()
			.doOnNext(context -> {
				if (context.getAuthentication() != null && context.getAuthentication().getPrincipal() instanceof LeanUser user) {
					addIdentity(BackendHeaders.of(exchange), user);
				}
			})
			.then(chain.filter(exchange));
	}

	private void addIdentity(BackendHeaders headers, LeanUser user) {
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
			// plain ASCII, but a backend would decode it: "UTF-8''ceo%40acme.com" must not read as ceo@acme.com
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

	@Override
	public int getOrder() {
		return ORDER;
	}

}
