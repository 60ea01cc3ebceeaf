package com.iotorq.lean.gateway.web;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatus;

/**
 * What the gateway tells a client about an error, whichever form it takes.
 *
 * @param status the HTTP status
 * @param code stable machine-readable code
 * @param title short summary
 * @param detail what happened, for the reader
 * @param action what to do next, and who should do it
 * @param facts values for support, e.g. an IdP error code; shown on pages under their
 * label and returned in problem+json under their field name
 * @param retryAfter sent as {@code Retry-After} when set
 * @param link a way forward shown as a button on pages, e.g. "Sign in again"
 */
public record ErrorReport(HttpStatus status, String code, String title, String detail, String action, List<Fact> facts,
		@Nullable Duration retryAfter, @Nullable Link link) {

	public static ErrorReport of(ErrorCode code) {
		return of(code, code.message());
	}

	public static ErrorReport of(ErrorCode code, String detail) {
		return new ErrorReport(code.status(), code.code(), code.title(), detail, code.action(), List.of(), null, null);
	}

	public ErrorReport withFact(String field, String label, @Nullable String value) {
		if (value == null || value.isEmpty()) {
			return this;
		}
		List<Fact> more = new ArrayList<>(this.facts);
		more.add(new Fact(field, label, value));
		return new ErrorReport(this.status, this.code, this.title, this.detail, this.action, more, this.retryAfter,
				this.link);
	}

	/**
	 * A new report with another reader-facing text, e.g. one specific to an identity
	 * provider.
	 */
	public ErrorReport withText(String title, String detail, String action) {
		return new ErrorReport(this.status, this.code, title, detail, action, this.facts, this.retryAfter, this.link);
	}

	public ErrorReport withRetryAfter(Duration delay) {
		return new ErrorReport(this.status, this.code, this.title, this.detail, this.action, this.facts, delay,
				this.link);
	}

	/**
	 * A new report with a button leading on; {@code href} must be a gateway-chosen path.
	 */
	public ErrorReport withLink(String label, String href) {
		return new ErrorReport(this.status, this.code, this.title, this.detail, this.action, this.facts,
				this.retryAfter, new Link(label, href));
	}

	/** A new report with another status. */
	public ErrorReport withStatus(HttpStatus status) {
		return new ErrorReport(status, this.code, this.title, this.detail, this.action, this.facts, this.retryAfter,
				this.link);
	}

	/**
	 * @param label the button's text
	 * @param href where it leads, always a path of the gateway's own
	 */
	public record Link(String label, String href) {
	}

	/**
	 * @param field name in problem+json
	 * @param label label on the page
	 * @param value the value, shown escaped
	 */
	public record Fact(String field, String label, String value) {
	}

}
