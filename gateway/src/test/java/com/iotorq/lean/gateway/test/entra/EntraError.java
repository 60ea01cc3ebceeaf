package com.iotorq.lean.gateway.test.entra;

import java.net.URI;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One Entra error: OAuth {@code error}, AADSTS code and text, and the trace and
 * correlation ids Entra appends. Renders as token-endpoint JSON, as redirect parameters,
 * or as the lines of an HTML error page.
 *
 * @param error the OAuth error, e.g. {@code invalid_client}
 * @param code the AADSTS number, e.g. {@code 7000215}
 * @param message the text after {@code AADSTS<code>: }
 * @param traceId a fresh UUID
 * @param correlationId a fresh UUID
 * @param timestamp when it happened (wall clock)
 */
record EntraError(String error, int code, String message, String traceId, String correlationId, Instant timestamp) {

	private static final DateTimeFormatter entraTime = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'")
		.withZone(ZoneOffset.UTC);

	/** A new occurrence of this error, with fresh ids and the current time. */
	static EntraError of(String error, int code, String message) {
		return new EntraError(error, code, message, EntraIds.uuid(), EntraIds.uuid(),
				Instant.now().truncatedTo(ChronoUnit.SECONDS));
	}

	/** {@code AADSTS<code>: <message>}. */
	String summary() {
		return "AADSTS" + this.code + ": " + this.message;
	}

	/**
	 * Entra's {@code error_description}: the summary, then trace id, correlation id and
	 * timestamp on CRLF lines.
	 */
	String description() {
		return summary() + "\r\nTrace ID: " + this.traceId + "\r\nCorrelation ID: " + this.correlationId
				+ "\r\nTimestamp: " + timestampText();
	}

	/** {@code 2024-05-01 12:34:56Z}, Entra's format. */
	String timestampText() {
		return entraTime.format(this.timestamp);
	}

	/** {@code {authority}/error?code=<code>}. */
	String errorUri(URI authority) {
		return authority + "/error?code=" + this.code;
	}

	/** The JSON body of the token endpoint (and discovery, keys) for this error. */
	Map<String, Object> json(URI authority) {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("error", this.error);
		body.put("error_description", description());
		body.put("error_codes", List.of(this.code));
		body.put("timestamp", timestampText());
		body.put("trace_id", this.traceId);
		body.put("correlation_id", this.correlationId);
		body.put("error_uri", errorUri(authority));
		return body;
	}

	/** The parameters of a redirect back to the app carrying this error. */
	Map<String, String> redirectParams(URI authority, String state) {
		Map<String, String> params = new LinkedHashMap<>();
		params.put("error", this.error);
		params.put("error_description", description());
		params.put("error_uri", errorUri(authority));
		params.put("state", state);
		return params;
	}

}
