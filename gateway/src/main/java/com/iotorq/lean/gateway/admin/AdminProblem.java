package com.iotorq.lean.gateway.admin;

import java.util.List;

import org.springframework.http.HttpStatus;

/**
 * A refused admin request, answered as problem+json with every field-level violation at
 * once.
 */
public final class AdminProblem extends RuntimeException {

	private final HttpStatus status;

	private final String title;

	private final List<Violation> violations;

	public AdminProblem(HttpStatus status, String title, String detail, List<Violation> violations) {
		super(detail, null, false, false);
		this.status = status;
		this.title = title;
		this.violations = List.copyOf(violations);
	}

	public static AdminProblem notFound(String detail) {
		return new AdminProblem(HttpStatus.NOT_FOUND, "Not found", detail, List.of());
	}

	public static AdminProblem badRequest(String detail) {
		return new AdminProblem(HttpStatus.BAD_REQUEST, "Bad request", detail, List.of());
	}

	public static AdminProblem invalid(List<Violation> violations) {
		return new AdminProblem(HttpStatus.UNPROCESSABLE_CONTENT, "Invalid request",
				violations.size() + " field" + ((violations.size() == 1) ? " is" : "s are") + " invalid: "
						+ String.join("; ", violations.stream().map(v -> v.field() + " " + v.message()).toList()),
				violations);
	}

	public HttpStatus status() {
		return this.status;
	}

	public String title() {
		return this.title;
	}

	public List<Violation> violations() {
		return this.violations;
	}

	/**
	 * @param field the offending field, as a JSON pointer-like path ({@code displayName},
	 * {@code slug} for the path segment)
	 * @param message what is wrong with it, for a person
	 */
	public record Violation(String field, String message) {
	}

}
