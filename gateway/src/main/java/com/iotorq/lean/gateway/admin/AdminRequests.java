package com.iotorq.lean.gateway.admin;

import java.security.Principal;

import reactor.core.publisher.Mono;

import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.HttpStatus;
import org.springframework.web.reactive.function.server.ServerRequest;

/**
 * Reading admin requests: the body, query parameters, and who is calling.
 */
final class AdminRequests {

	private AdminRequests() {
	}

	/** The raw body, empty string when there is none; 413 when over the codec limit. */
	static Mono<String> body(ServerRequest request) {
		return request.bodyToMono(String.class)
			.defaultIfEmpty("")
			.onErrorMap(DataBufferLimitException.class, ex -> new AdminProblem(HttpStatus.CONTENT_TOO_LARGE,
					"Request too large", "The request body is larger than allowed.", java.util.List.of()));
	}

	/** The caller's token fingerprint, as the audit log records it. */
	static Mono<String> actor(ServerRequest request) {
		return request.principal().map(Principal::getName).defaultIfEmpty("unknown");
	}

	/** {@code true} or {@code false}; {@code defaultValue} when absent. */
	static boolean booleanParam(ServerRequest request, String name, boolean defaultValue) {
		String value = request.queryParam(name).orElse(null);
		if (value == null) {
			return defaultValue;
		}
		if ("true".equals(value) || "false".equals(value)) {
			return Boolean.parseBoolean(value);
		}
		throw AdminProblem.badRequest("Query parameter '" + name + "' must be true or false.");
	}

	static int intParam(ServerRequest request, String name, int defaultValue, int min, int max) {
		String value = request.queryParam(name).orElse(null);
		if (value == null) {
			return defaultValue;
		}
		try {
			int number = Integer.parseInt(value);
			if (number >= min && number <= max) {
				return number;
			}
		}
		catch (NumberFormatException ex) {
			// fall through to the problem below
		}
		throw AdminProblem
			.badRequest("Query parameter '" + name + "' must be a whole number from " + min + " to " + max + ".");
	}

}
