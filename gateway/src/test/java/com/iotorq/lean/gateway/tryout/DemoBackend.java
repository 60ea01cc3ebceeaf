package com.iotorq.lean.gateway.tryout;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.web.util.HtmlUtils;
import org.springframework.web.util.UriUtils;

import com.nimbusds.jwt.JWTClaimsSet;

import com.iotorq.lean.gateway.routing.LeanHeaders;
import com.iotorq.lean.gateway.web.GatewayPaths;

/**
 * A stand-in for a LEAN backend: a real HTTP server that answers every page with a
 * readable HTML view of the identity the gateway sent, i.e. the {@code X-Lean-*} headers
 * (RFC 8187 values decoded) and the claims of {@code X-Lean-Identity}, verified against
 * the gateway's JWKS the way a backend should. It has a "Sign out" button posting to the
 * gateway.
 */
final class DemoBackend implements AutoCloseable {

	private static final JsonMapper json = JsonMapper.builder().build();

	private static final List<String> HEADERS = List.of(LeanHeaders.TENANT, LeanHeaders.USER_ID, LeanHeaders.USER_EMAIL,
			LeanHeaders.USER_NAME);

	private final DisposableServer server;

	private volatile IdentityVerifier verifier;

	private DemoBackend(int port) {
		this.server = HttpServer.create().host("127.0.0.1").port(port).handle((request, response) -> {
			if (request.path().equals("favicon.ico") || request.path().equals("robots.txt")) {
				return response.status(HttpResponseStatus.NOT_FOUND).send();
			}
			return Mono.fromCallable(() -> page(request))
				.subscribeOn(Schedulers.boundedElastic()) // verifying may fetch the JWKS,
															// a blocking call
				.flatMap(html -> response.header(HttpHeaderNames.CONTENT_TYPE, "text/html; charset=utf-8")
					.header(HttpHeaderNames.CACHE_CONTROL, "no-store")
					// no form-action: sign-out redirects on to the identity provider,
					// which it would block
					.header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'")
					.sendString(Mono.just(html), StandardCharsets.UTF_8)
					.then());
		}).bindNow();
	}

	static DemoBackend start() {
		return new DemoBackend(0);
	}

	URI uri() {
		return URI.create("http://127.0.0.1:" + this.server.port());
	}

	/** From now on the page verifies {@code X-Lean-Identity} with this verifier. */
	void verifyWith(IdentityVerifier verifier) {
		this.verifier = verifier;
	}

	private String page(HttpServerRequest request) {
		String tenant = request.requestHeaders().get(LeanHeaders.TENANT);
		String assertion = request.requestHeaders().get(LeanHeaders.IDENTITY);
		String name = decoded(request.requestHeaders().get(LeanHeaders.USER_NAME));
		String email = decoded(request.requestHeaders().get(LeanHeaders.USER_EMAIL));
		StringBuilder body = new StringBuilder();
		if (assertion != null) {
			body.append("<h1>Hello, ").append(escape((name != null) ? name : email)).append("</h1>\n");
			body.append("<p class=\"lead\">You are signed in to <strong id=\"tenant\">")
				.append(escape(tenant))
				.append("</strong> as <strong id=\"email\">")
				.append(escape(email))
				.append("</strong>. ")
				.append("This page is the demo backend: it shows what the LEAN Gateway told it about you.</p>\n");
		}
		else {
			body.append(
					"<h1>Nobody is signed in</h1>\n<p class=\"lead\">This request reached the demo backend of <strong id=\"tenant\">")
				.append(escape(tenant))
				.append("</strong> without a signed-in user.</p>\n");
		}
		body.append(headerTable(request));
		if (assertion != null) {
			body.append(assertionSection(assertion));
			body.append("<form method=\"post\" action=\"")
				.append(GatewayPaths.LOGOUT)
				.append("\"><button type=\"submit\" id=\"sign-out\">Sign out</button></form>\n");
		}
		body.append("<p class=\"small\">Request: <code>")
			.append(escape(request.method().name()))
			.append(' ')
			.append(escape(request.uri()))
			.append("</code></p>\n");
		String title = (assertion != null) ? "Demo backend · " + tenant : "Demo backend";
		return layout(title, body.toString());
	}

	private static String headerTable(HttpServerRequest request) {
		StringBuilder rows = new StringBuilder();
		for (String header : HEADERS) {
			String value = request.requestHeaders().get(header);
			String decoded = decoded(value);
			rows.append("<tr><th scope=\"row\"><code>")
				.append(header)
				.append("</code></th><td><code>")
				.append((value != null) ? escape(value) : "<em>not sent</em>")
				.append("</code></td><td>")
				.append((decoded != null && !decoded.equals(value)) ? escape(decoded) : "")
				.append("</td></tr>\n");
		}
		String assertion = request.requestHeaders().get(LeanHeaders.IDENTITY);
		rows.append("<tr><th scope=\"row\"><code>")
			.append(LeanHeaders.IDENTITY)
			.append("</code></th><td><code>")
			.append((assertion != null) ? escape(abbreviate(assertion)) : "<em>not sent</em>")
			.append("</code></td><td>")
			.append((assertion != null) ? "a signed JWT, see below" : "")
			.append("</td></tr>\n");
		return "<h2>Identity headers</h2>\n<table id=\"headers\">\n<caption>What the gateway sent with this request"
				+ "</caption>\n<thead><tr><th scope=\"col\">Header</th><th scope=\"col\">Value as received</th>"
				+ "<th scope=\"col\">Decoded (RFC 8187)</th></tr></thead>\n<tbody>\n" + rows + "</tbody>\n</table>\n";
	}

	private String assertionSection(String assertion) {
		StringBuilder section = new StringBuilder("<h2>The signed assertion</h2>\n");
		Map<String, Object> claims;
		IdentityVerifier verifier = this.verifier;
		if (verifier == null) {
			claims = unverifiedClaims(assertion);
			section.append(
					"<p class=\"status warn\" id=\"verification\">Not verified: the gateway's keys are not known yet.</p>\n");
		}
		else {
			try {
				JWTClaimsSet verified = verifier.verify(assertion);
				claims = verified.toJSONObject();
				section
					.append("<p class=\"status ok\" id=\"verification\">Verified: ES256 signature checked against the "
							+ "gateway's JWKS, and the issuer, audience and expiry are right.</p>\n");
			}
			catch (Exception ex) {
				claims = unverifiedClaims(assertion);
				section.append("<p class=\"status bad\" id=\"verification\">Not trusted: ")
					.append(escape(ex.getClass().getSimpleName() + ": " + ex.getMessage()))
					.append(". A real backend would refuse this request.</p>\n");
			}
		}
		section.append("<table id=\"claims\">\n<caption>Claims of <code>X-Lean-Identity</code></caption>\n"
				+ "<thead><tr><th scope=\"col\">Claim</th><th scope=\"col\">Value</th></tr></thead>\n<tbody>\n");
		new TreeMap<>(claims).forEach((claim, value) -> section.append("<tr><th scope=\"row\"><code>")
			.append(escape(claim))
			.append("</code></th><td>")
			.append(escape(display(claim, value)))
			.append("</td></tr>\n"));
		section.append("</tbody>\n</table>\n<details><summary>The raw assertion</summary><pre id=\"assertion\">")
			.append(escape(assertion))
			.append("</pre></details>\n");
		return section.toString();
	}

	/**
	 * For display when verification failed: the payload as it stands, trusted by nobody.
	 */
	private static Map<String, Object> unverifiedClaims(String assertion) {
		try {
			String[] parts = assertion.split("\\.");
			JsonNode payload = json.readTree(Base64.getUrlDecoder().decode(parts[1]));
			Map<String, Object> claims = new TreeMap<>();
			payload.properties()
				.forEach(e -> claims.put(e.getKey(),
						e.getValue().isString() ? e.getValue().asString() : e.getValue().toString()));
			return claims;
		}
		catch (RuntimeException ex) {
			return Map.of("(unreadable)", String.valueOf(ex.getMessage()));
		}
	}

	private static String display(String claim, Object value) {
		if (value instanceof Number seconds && Set.of("iat", "exp", "nbf").contains(claim)) {
			return seconds + " (" + Instant.ofEpochSecond(seconds.longValue()) + ")";
		}
		if (value instanceof Date date) {
			return date.toInstant().getEpochSecond() + " (" + date.toInstant() + ")";
		}
		if (value instanceof List<?> list && list.size() == 1) {
			return String.valueOf(list.get(0));
		}
		return String.valueOf(value);
	}

	/**
	 * A header value as the backend should read it: RFC 8187 {@code UTF-8''} values
	 * percent-decoded.
	 */
	static String decoded(String value) {
		if (value != null && value.regionMatches(true, 0, "UTF-8''", 0, 7)) {
			return UriUtils.decode(value.substring(7), StandardCharsets.UTF_8);
		}
		return value;
	}

	private static String abbreviate(String text) {
		return (text.length() <= 48) ? text : text.substring(0, 24) + "…" + text.substring(text.length() - 16);
	}

	private static String escape(String text) {
		return (text != null) ? HtmlUtils.htmlEscape(text, "UTF-8") : "";
	}

	private static String layout(String title, String body) {
		return """
				<!DOCTYPE html>
				<html lang="en">
				<head>
				<meta charset="utf-8">
				<meta name="viewport" content="width=device-width, initial-scale=1">
				<title>%s</title>
				<style>
				body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:#f6f4ef;color:#1d1b16}
				header{background:#2f3b2f;color:#fff;padding:.75rem 1.5rem;font-weight:600}
				main{max-width:52rem;margin:2rem auto;padding:0 1.5rem}
				h1{font-size:1.75rem;margin:0 0 .5rem}h2{font-size:1.2rem;margin:2rem 0 .5rem}
				table{border-collapse:collapse;width:100%%;background:#fff;font-size:.9rem}
				caption{text-align:left;color:#4a463c;padding:.25rem 0}
				th,td{border:1px solid #d6d1c4;padding:.4rem .6rem;text-align:left;vertical-align:top;word-break:break-all}
				thead th{background:#ece8de}
				code,pre{font-family:ui-monospace,SFMono-Regular,Menlo,monospace}
				pre{white-space:pre-wrap;word-break:break-all;background:#fff;border:1px solid #d6d1c4;padding:.5rem}
				.status{padding:.6rem .9rem;border-radius:4px;border-left:4px solid}
				.ok{background:#e7f4ea;border-color:#1e6b34}.warn{background:#fdf3dc;border-color:#8a5a00}.bad{background:#fbe6e6;border-color:#a3161a}
				.small{font-size:.85rem;color:#4a463c}
				button{margin-top:1.5rem;background:#2f3b2f;color:#fff;border:0;border-radius:6px;padding:.6rem 1.2rem;font-size:1rem;font-weight:600;cursor:pointer}
				:focus-visible{outline:3px solid #1d1b16;outline-offset:2px}
				</style>
				</head>
				<body>
				<header>Demo LEAN backend <span class="small" style="color:#e8e4d8">(part of the local try-out, not of the gateway)</span></header>
				<main>
				%s
				</main>
				</body>
				</html>
				"""
			.formatted(escape(title), body);
	}

	@Override
	public void close() {
		this.server.disposeNow();
	}

}
