package com.iotorq.lean.gateway.web;

import org.springframework.web.server.ServerWebExchange;

/**
 * Gives every public request one spelling of its path before anything decides on it. The
 * gateway's filters compare the path as sent ({@code /oauth/logi%6E} is not
 * {@code /oauth/login}), Spring Security's matchers and the backend decode it (to
 * {@code /oauth/login}): a request could be permitted as a sign-in endpoint, not answered
 * as one, and reach the backend without a session. RFC 3986 (2.3, 6.2.2.2) makes a
 * percent-encoded unreserved character the same URI as the character itself, so they are
 * decoded here, and the filters, Spring Security and the backend all see
 * {@code /oauth/login}. An encoded {@code .} stays encoded: it can hide a {@code ..}
 * segment, and Spring Security's firewall refuses it, as it refuses encoded {@code /},
 * {@code \}, {@code ;}, {@code %} and NUL. Every other encoding decodes to characters
 * none of the gateway's own paths contain. Costs one {@code indexOf} on a path without
 * {@code %}.
 */
public final class UnreservedPathDecoding {

	private UnreservedPathDecoding() {
	}

	/**
	 * The exchange with its path decoded; the same exchange when there was nothing to
	 * decode.
	 */
	static ServerWebExchange decoded(ServerWebExchange exchange) {
		String path = exchange.getRequest().getPath().value();
		if (path.indexOf('%') < 0) {
			return exchange;
		}
		String decoded = decodeUnreserved(path);
		if (decoded.length() == path.length()) { // nothing decoded
			return exchange;
		}
		return exchange.mutate().request(request -> request.path(decoded)).build();
	}

	/**
	 * The raw path with each {@code %XX} that encodes an ALPHA, DIGIT, {@code -},
	 * {@code _} or {@code ~} replaced by that character.
	 */
	public static String decodeUnreserved(String rawPath) {
		StringBuilder decoded = null;
		int copied = 0;
		for (int i = rawPath.indexOf('%'); i >= 0 && i + 2 < rawPath.length(); i = rawPath.indexOf('%', i + 1)) {
			int high = hex(rawPath.charAt(i + 1));
			int low = hex(rawPath.charAt(i + 2));
			if (high < 0 || low < 0) {
				continue;
			}
			char c = (char) (high << 4 | low);
			if (!isDecoded(c)) {
				continue;
			}
			if (decoded == null) {
				decoded = new StringBuilder(rawPath.length());
			}
			decoded.append(rawPath, copied, i).append(c);
			copied = i + 3;
		}
		return (decoded == null) ? rawPath : decoded.append(rawPath, copied, rawPath.length()).toString();
	}

	private static boolean isDecoded(char c) {
		return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_'
				|| c == '~';
	}

	private static int hex(char c) {
		if (c >= '0' && c <= '9') {
			return c - '0';
		}
		if (c >= 'a' && c <= 'f') {
			return c - 'a' + 10;
		}
		if (c >= 'A' && c <= 'F') {
			return c - 'A' + 10;
		}
		return -1;
	}

}
