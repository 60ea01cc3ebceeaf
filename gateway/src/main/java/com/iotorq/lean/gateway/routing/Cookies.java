package com.iotorq.lean.gateway.routing;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code Cookie} request header values without some cookies; the others stay as they
 * were.
 */
final class Cookies {

	private Cookies() {
	}

	/** The header values without the named cookies; values left empty are dropped. */
	static List<String> without(List<String> headers, List<String> names) {
		List<String> kept = new ArrayList<>(headers.size());
		for (String header : headers) {
			String rest = names.stream().anyMatch(header::contains) ? without(header, names) : header;
			if (!rest.isEmpty()) {
				kept.add(rest);
			}
		}
		return kept;
	}

	private static String without(String header, List<String> names) {
		StringBuilder rest = new StringBuilder(header.length());
		for (String pair : header.split(";")) {
			String trimmed = pair.strip();
			int equals = trimmed.indexOf('=');
			String cookie = name((equals >= 0) ? trimmed.substring(0, equals) : trimmed);
			if (!trimmed.isEmpty() && !names.contains(cookie)) {
				if (!rest.isEmpty()) {
					rest.append("; ");
				}
				rest.append(trimmed);
			}
		}
		return rest.toString();
	}

	/**
	 * The cookie's name as the gateway's own cookie parser reads it: Netty's
	 * {@code ServerCookieDecoder} skips {@code ,} and whitespace before a name, so
	 * {@code a=1;,LEAN_SESSION=id} carries the session cookie.
	 */
	private static String name(String beforeEquals) {
		int start = 0;
		while (start < beforeEquals.length() && isSkippedBeforeName(beforeEquals.charAt(start))) {
			start++;
		}
		return beforeEquals.substring(start).strip();
	}

	private static boolean isSkippedBeforeName(char c) {
		return c == ',' || c == ' ' || c == '\t' || c == '\n' || c == '\u000b' || c == '\f' || c == '\r';
	}

}
