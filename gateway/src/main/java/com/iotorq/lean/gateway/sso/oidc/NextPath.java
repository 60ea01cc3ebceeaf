package com.iotorq.lean.gateway.sso.oidc;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

import org.jspecify.annotations.Nullable;

/**
 * Where to send a person after sign-in: only a path on the same host. Anything that a
 * browser could read as another origin ({@code //evil.example}, {@code /\evil.example},
 * {@code https://evil.example}, and their percent-encoded forms) becomes {@code /}.
 */
public final class NextPath {

	public static final String HOME = "/";

	private static final int MAX_LENGTH = 2048;

	private NextPath() {
	}

	/**
	 * @return {@code next} when it is a safe same-origin path, else {@code /}
	 */
	public static String sanitize(@Nullable String next) {
		if (next == null || next.isEmpty() || next.length() > MAX_LENGTH) {
			return HOME;
		}
		String decoded = next;
		for (int round = 0; round < 3; round++) {
			if (!isSafe(decoded)) {
				return HOME;
			}
			String again = decode(decoded);
			if (again == null) {
				return HOME;
			}
			if (again.equals(decoded)) {
				break;
			}
			decoded = again;
		}
		if (!isSafe(decoded)) {
			return HOME;
		}
		try {
			URI uri = new URI(next);
			return (uri.getScheme() == null && uri.getRawAuthority() == null) ? next : HOME;
		}
		catch (URISyntaxException ex) {
			return HOME;
		}
	}

	private static boolean isSafe(String path) {
		if (!path.startsWith("/") || path.startsWith("//") || path.indexOf('\\') >= 0) {
			return false;
		}
		for (int i = 0; i < path.length(); i++) {
			char c = path.charAt(i);
			if (c < 0x20 || c == 0x7f) {
				return false; // CR, LF, tab and friends: header splitting and browser
								// quirks
			}
		}
		return true;
	}

	private static @Nullable String decode(String value) {
		try {
			return URLDecoder.decode(value.replace("+", "%2B"), StandardCharsets.UTF_8);
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
	}

}
