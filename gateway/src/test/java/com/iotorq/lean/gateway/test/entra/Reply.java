package com.iotorq.lean.gateway.test.entra;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import tools.jackson.databind.json.JsonMapper;

/**
 * An HTTP response to send.
 *
 * @param status the status code
 * @param headers response headers (Content-Length is added when sending)
 * @param body the body, possibly empty
 */
record Reply(int status, Map<String, String> headers, byte[] body) {

	private static final JsonMapper json = JsonMapper.builder().build();

	/** JSON with Entra's content type and no-store caching. */
	static Reply json(int status, Object value) {
		Map<String, String> headers = new LinkedHashMap<>();
		headers.put("Content-Type", "application/json; charset=utf-8");
		headers.put("Cache-Control", "no-store, no-cache");
		headers.put("Pragma", "no-cache");
		return new Reply(status, headers, json.writeValueAsBytes(value));
	}

	/** An HTML page. */
	static Reply html(int status, String page) {
		return new Reply(status, Map.of("Content-Type", "text/html; charset=utf-8"),
				page.getBytes(StandardCharsets.UTF_8));
	}

	/** A 302 to this location. */
	static Reply redirect(String location) {
		return new Reply(302, Map.of("Location", location, "Cache-Control", "no-store, no-cache"), new byte[0]);
	}

	/** A 404 for paths Entra does not serve. */
	static Reply notFound() {
		return new Reply(404, Map.of("Content-Type", "text/plain; charset=utf-8"),
				"Not Found".getBytes(StandardCharsets.UTF_8));
	}

	/** This reply plus one header. */
	Reply withHeader(String name, String value) {
		Map<String, String> more = new LinkedHashMap<>(this.headers);
		more.put(name, value);
		return new Reply(this.status, more, this.body);
	}

}
