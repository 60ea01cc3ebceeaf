package com.iotorq.lean.gateway.web;

import java.util.List;

import org.springframework.security.web.server.header.ContentTypeOptionsServerHttpHeadersWriter;
import org.springframework.security.web.server.header.ReferrerPolicyServerHttpHeadersWriter;
import org.springframework.security.web.server.header.ServerHttpHeadersWriter;
import org.springframework.security.web.server.header.StrictTransportSecurityServerHttpHeadersWriter;
import org.springframework.security.web.server.header.XFrameOptionsServerHttpHeadersWriter;
import org.springframework.security.web.server.header.XXssProtectionServerHttpHeadersWriter;
import org.springframework.web.server.ServerWebExchange;

import com.iotorq.lean.gateway.config.BenchAblation;

/**
 * The security response headers of every proxied response, the ones Spring Security's
 * sign-in chain writes on the gateway's own pages, by Spring Security's own writers:
 * {@code X-Content-Type-Options:
 * nosniff}, {@code X-Frame-Options: SAMEORIGIN}, {@code X-XSS-Protection: 0},
 * {@code Referrer-Policy:
 * no-referrer} and, over https, {@code Strict-Transport-Security}. Written as the
 * response is sent, so a header the backend set itself is kept, as Spring Security does
 * (each writer adds only what is missing). No {@code Cache-Control}: backends decide how
 * their responses are cached.
 */
public final class SecurityHeaders {

	private static final String ASKED = SecurityHeaders.class.getName() + ".asked";

	private final List<ServerHttpHeadersWriter> writers;

	private final boolean on;

	public SecurityHeaders(BenchAblation ablation) {
		XFrameOptionsServerHttpHeadersWriter frameOptions = new XFrameOptionsServerHttpHeadersWriter();
		frameOptions.setMode(XFrameOptionsServerHttpHeadersWriter.Mode.SAMEORIGIN);
		this.writers = List.of(new ContentTypeOptionsServerHttpHeadersWriter(),
				new StrictTransportSecurityServerHttpHeadersWriter(), frameOptions,
				new XXssProtectionServerHttpHeadersWriter(), new ReferrerPolicyServerHttpHeadersWriter());
		this.on = ablation.isOn(BenchAblation.Feature.SECURITY_HEADERS);
	}

	/**
	 * Asks for the headers on this exchange's response, written by {@link #writeIfAsked}
	 * as it is sent.
	 */
	public void onCommit(ServerWebExchange exchange) {
		if (this.on) {
			exchange.getAttributes().put(ASKED, Boolean.TRUE);
		}
	}

	/**
	 * Called as the response is sent: the headers, if {@link #onCommit} asked for them.
	 */
	public void writeIfAsked(ServerWebExchange exchange) {
		if (exchange.getAttribute(ASKED) != null) {
			for (ServerHttpHeadersWriter writer : this.writers) {
				// each of these writes at once and answers Mono.empty(): nothing to
				// subscribe to
				// (RoutingIntegrationTests would see the headers missing, should that
				// change)
				writer.writeHttpHeaders(exchange);
			}
		}
	}

}
