package com.iotorq.lean.gateway.web;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * An error the gateway answers by itself, rendered by {@link GatewayErrorHandler} as a
 * page or as problem+json. Carries no secret: its message may be logged and shown.
 */
public class GatewayException extends RuntimeException {

	private final ErrorCode code;

	private final @Nullable String detail;

	private final @Nullable Duration retryAfter;

	public GatewayException(ErrorCode code) {
		this(code, null, null);
	}

	/**
	 * @param code what went wrong
	 * @param detail a sentence for the reader, or {@code null} for the code's own message
	 * @param cause the underlying failure, logged but never shown
	 */
	public GatewayException(ErrorCode code, @Nullable String detail, @Nullable Throwable cause) {
		this(code, detail, cause, null);
	}

	/**
	 * @param code what went wrong
	 * @param detail a sentence for the reader, or {@code null} for the code's own message
	 * @param cause the underlying failure, logged but never shown
	 * @param retryAfter when the client may try again, sent as {@code Retry-After}
	 */
	public GatewayException(ErrorCode code, @Nullable String detail, @Nullable Throwable cause,
			@Nullable Duration retryAfter) {
		super(code.code() + ((detail != null) ? ": " + detail : ""), cause, false, false);
		this.code = code;
		this.detail = detail;
		this.retryAfter = retryAfter;
	}

	public ErrorCode code() {
		return this.code;
	}

	/** The sentence shown to the reader. */
	public String detail() {
		return (this.detail != null) ? this.detail : this.code.message();
	}

	public @Nullable Duration retryAfter() {
		return this.retryAfter;
	}

	/** The report this exception renders as. */
	public ErrorReport report() {
		ErrorReport report = ErrorReport.of(this.code, detail());
		return (this.retryAfter != null) ? report.withRetryAfter(this.retryAfter) : report;
	}

}
