package com.iotorq.lean.gateway.test.entra;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.StringJoiner;
import java.util.regex.Pattern;

/** Redirect URLs built the way Entra builds them. */
final class Urls {

	private static final Pattern percentEscape = Pattern.compile("%[0-9A-F]{2}");

	private Urls() {
	}

	/**
	 * {@code base} with these parameters appended to its query, skipping {@code null}
	 * values. Values are form-encoded with lowercase hex, as Entra does
	 * ({@code AADSTS65004%3a+User+declined...}).
	 */
	static String withParams(String base, Map<String, String> params) {
		StringJoiner query = new StringJoiner("&");
		params.forEach((name, value) -> {
			if (value != null) {
				query.add(encode(name) + "=" + encode(value));
			}
		});
		if (query.length() == 0) {
			return base;
		}
		return base + (base.contains("?") ? "&" : "?") + query;
	}

	/** Form encoding ({@code +} for space) with lowercase percent escapes. */
	static String encode(String value) {
		String encoded = URLEncoder.encode(value, StandardCharsets.UTF_8);
		return percentEscape.matcher(encoded).replaceAll(m -> m.group().toLowerCase());
	}

}
