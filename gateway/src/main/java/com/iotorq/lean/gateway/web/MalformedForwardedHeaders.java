package com.iotorq.lean.gateway.web;

import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;

/**
 * A trusted proxy's {@code X-Forwarded-Proto/-Host/-Port} that cannot be read (a port
 * that is no number, a host with a space, a scheme other than http or https) gets the
 * gateway's 400 page or problem+json with a reference, and is logged. Neither guessed nor
 * ignored: the scheme and host decide redirect URIs and which session cookie is read, and
 * a request half-believed would fail later and less clearly.
 * {@link TrustedProxyForwardedHeaderTransformer} runs before an exchange exists and
 * cannot answer, so it marks the request and {@link PublicFirewall} answers it.
 */
public final class MalformedForwardedHeaders {

	private MalformedForwardedHeaders() {
	}

	/** The request, marked as refused; its forwarded headers are already removed. */
	static ServerHttpRequest mark(ServerHttpRequest request) {
		return new Marked(request);
	}

	static boolean isMarked(ServerHttpRequest request) {
		return request instanceof Marked;
	}

	private static final class Marked extends ServerHttpRequestDecorator {

		Marked(ServerHttpRequest delegate) {
			super(delegate);
		}

	}

}
