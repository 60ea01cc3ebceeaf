package com.iotorq.lean.gateway.admin;

import java.net.URI;

import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * Writes the admin API's JSON: resources with the application's mapper, refusals as
 * problem+json (RFC 9457) with an {@code errors} array of field-level violations.
 */
public final class AdminResponses {

	private final JsonMapper json;

	public AdminResponses(JsonMapper json) {
		this.json = json;
	}

	public Mono<ServerResponse> json(HttpStatus status, Object body) {
		return ServerResponse.status(status)
			.contentType(MediaType.APPLICATION_JSON)
			.header("Cache-Control", "no-store")
			.bodyValue(this.json.writeValueAsString(body));
	}

	/** As {@link #json(HttpStatus, Object)}, with one more response header. */
	public Mono<ServerResponse> json(HttpStatus status, Object body, String header, String value) {
		return ServerResponse.status(status)
			.contentType(MediaType.APPLICATION_JSON)
			.header("Cache-Control", "no-store")
			.header(header, value)
			.bodyValue(this.json.writeValueAsString(body));
	}

	public Mono<ServerResponse> created(URI location, Object body) {
		return ServerResponse.created(location)
			.contentType(MediaType.APPLICATION_JSON)
			.header("Cache-Control", "no-store")
			.bodyValue(this.json.writeValueAsString(body));
	}

	public Mono<ServerResponse> problem(ServerRequest request, AdminProblem problem) {
		ObjectNode body = this.json.createObjectNode();
		body.put("type", "urn:iotorq-lean:problem:admin:" + problem.status().value());
		body.put("title", problem.title());
		body.put("status", problem.status().value());
		body.put("detail", problem.getMessage());
		body.put("instance", request.path());
		if (!problem.violations().isEmpty()) {
			ArrayNode errors = body.putArray("errors");
			problem.violations().forEach(v -> errors.addObject().put("field", v.field()).put("message", v.message()));
		}
		return ServerResponse.status(problem.status())
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.header("Cache-Control", "no-store")
			.bodyValue(this.json.writeValueAsString(body));
	}

}
