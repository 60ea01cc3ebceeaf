package com.iotorq.lean.gateway.web;

import java.util.List;

import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpRequest;

/**
 * Whether a request comes from a script (answer with problem+json and status codes) or
 * from a person's browser (answer with pages and redirects).
 */
public final class ClientExpectations {

	private ClientExpectations() {
	}

	/**
	 * A request sent by script: it carries {@code X-Requested-With}, or asks for JSON
	 * without asking for HTML.
	 */
	public static boolean wantsJson(ServerHttpRequest request) {
		if (request.getHeaders().containsHeader("X-Requested-With")) {
			return true;
		}
		List<MediaType> accepted;
		try {
			accepted = request.getHeaders().getAccept();
		}
		catch (RuntimeException ex) {
			return false; // an unreadable Accept header gets the page
		}
		boolean json = false;
		for (MediaType type : accepted) {
			if (type.isCompatibleWith(MediaType.TEXT_HTML) && !type.isWildcardType()) {
				return false;
			}
			if (!type.isWildcardType() && (type.isCompatibleWith(MediaType.APPLICATION_JSON)
					|| type.isCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))) {
				json = true;
			}
		}
		return json;
	}

}
