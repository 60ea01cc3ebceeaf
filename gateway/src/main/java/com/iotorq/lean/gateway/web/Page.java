package com.iotorq.lean.gateway.web;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.util.HtmlUtils;

/**
 * A server-rendered page of the gateway's own: sign-in problems, unknown organisation,
 * backend down. One layout, no external assets, every text HTML-escaped here so that no
 * caller can forget it.
 */
public final class Page {

	private static final String LAYOUT = """
			<!DOCTYPE html>
			<html lang="en">
			<head>
			<meta charset="utf-8">
			<meta name="viewport" content="width=device-width, initial-scale=1">
			<meta name="robots" content="noindex">
			<title>%s · ioTORQ LEAN</title>
			<style>
			:root{color-scheme:light}
			body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:#f3f5f8;color:#1a1f29}
			main{max-width:36rem;margin:8vh auto;padding:2rem 2.25rem;background:#fff;border-radius:12px;box-shadow:0 1px 3px rgba(0,0,0,.12)}
			.brand{font-weight:600;color:#0b4f8a;letter-spacing:.02em;margin:0 0 1.5rem}
			h1{font-size:1.5rem;line-height:1.25;margin:0 0 1rem}
			h2{font-size:.875rem;margin:1.5rem 0 .25rem;color:#3d4656}
			p{margin:0 0 1rem}
			.action{background:#eef4fb;border-left:4px solid #0b4f8a;padding:.75rem 1rem;border-radius:4px}
			.action strong{display:block}
			dl{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem;margin:0;font-size:.875rem;color:#3d4656}
			dt{font-weight:600}dd{margin:0;word-break:break-all;font-family:ui-monospace,SFMono-Regular,Menlo,monospace}
			a{color:#0b4f8a}
			.button{display:inline-block;background:#0b4f8a;color:#fff;text-decoration:none;padding:.6rem 1.2rem;border-radius:6px;font-weight:600;border:0;font-size:1rem;font-family:inherit;cursor:pointer}
			.actions{display:flex;flex-wrap:wrap;gap:1rem;align-items:center}
			:focus-visible{outline:3px solid #1a1f29;outline-offset:2px}
			</style>
			</head>
			<body>
			<main>
			<p class="brand">ioTORQ LEAN</p>
			%s
			</main>
			</body>
			</html>
			""";

	/**
	 * Pages load nothing from anywhere, run no script and are never framed. No
	 * {@code form-action}: browsers apply it to the redirects that follow a submission
	 * too, and signing out redirects to the organisation's identity provider, another
	 * origin.
	 */
	public static final String CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; "
			+ "frame-ancestors 'none'";

	private final String title;

	private final List<String> blocks = new ArrayList<>();

	private Page(String title) {
		this.title = title;
	}

	public static Page titled(String title) {
		Page page = new Page(title);
		page.blocks.add("<h1>" + escape(title) + "</h1>");
		return page;
	}

	public Page paragraph(String text) {
		this.blocks.add("<p>" + escape(text) + "</p>");
		return this;
	}

	/**
	 * A highlighted paragraph saying what the reader, or someone else, should do next.
	 */
	public Page action(String text) {
		this.blocks.add("<p class=\"action\"><strong>What to do</strong>" + escape(text) + "</p>");
		return this;
	}

	/** A link that looks like a button; {@code href} must be a gateway-chosen path. */
	public Page button(String label, String href) {
		this.blocks.add("<p><a class=\"button\" href=\"" + escape(href) + "\">" + escape(label) + "</a></p>");
		return this;
	}

	/**
	 * A button that POSTs to a gateway path, e.g. sign-out, with a plain link beside it
	 * to go back; {@code action} and {@code backHref} must be gateway-chosen paths.
	 */
	public Page postButton(String label, String action, String backLabel, String backHref) {
		this.blocks.add("<form class=\"actions\" method=\"post\" action=\"" + escape(action)
				+ "\"><button class=\"button\" type=\"submit\">" + escape(label) + "</button><a href=\""
				+ escape(backHref) + "\">" + escape(backLabel) + "</a></form>");
		return this;
	}

	/**
	 * A button that POSTs to a gateway path; {@code action} must be a gateway-chosen
	 * path.
	 */
	public Page postButton(String label, String action) {
		return postButton(label, action, Map.of());
	}

	/**
	 * A button that POSTs hidden fields to a gateway path, e.g. an activation token;
	 * keeps such values out of the URL of the request that acts on them.
	 */
	public Page postButton(String label, String action, Map<String, String> fields) {
		StringBuilder form = new StringBuilder("<form method=\"post\" action=\"" + escape(action) + "\">");
		fields.forEach((name, value) -> form.append("<input type=\"hidden\" name=\"")
			.append(escape(name))
			.append("\" value=\"")
			.append(escape(value))
			.append("\">"));
		this.blocks.add(form.append("<button class=\"button\" type=\"submit\">")
			.append(escape(label))
			.append("</button></form>")
			.toString());
		return this;
	}

	/**
	 * Facts for support, e.g. an error code and a reference; empty values are left out.
	 */
	public Page facts(Map<String, String> facts) {
		if (facts.values().stream().allMatch(value -> value == null || value.isEmpty())) {
			return this;
		}
		StringBuilder html = new StringBuilder(
				"<h2 id=\"details\">Details for support</h2><dl aria-labelledby=\"details\">");
		facts.forEach((label, value) -> {
			if (value != null && !value.isEmpty()) {
				html.append("<dt>").append(escape(label)).append("</dt><dd>").append(escape(value)).append("</dd>");
			}
		});
		this.blocks.add(html.append("</dl>").toString());
		return this;
	}

	/**
	 * Markup built by the caller, e.g. a form with inputs: every text in it must already
	 * be escaped with {@link #escape}.
	 */
	public Page markup(String escapedHtml) {
		this.blocks.add(escapedHtml);
		return this;
	}

	/**
	 * Writes this page as a 200 response that is never cached and may load nothing else.
	 */
	public Mono<Void> writeTo(ServerWebExchange exchange) {
		return writeTo(exchange, HttpStatus.OK, CONTENT_SECURITY_POLICY);
	}

	/**
	 * Writes this page, never cached, with its own status and Content-Security-Policy (a
	 * page with a script of its own allows exactly that script).
	 */
	public Mono<Void> writeTo(ServerWebExchange exchange, HttpStatus status, String contentSecurityPolicy) {
		ServerHttpResponse response = exchange.getResponse();
		response.setStatusCode(status);
		response.getHeaders().setContentType(MediaType.TEXT_HTML);
		response.getHeaders().setCacheControl("no-store");
		response.getHeaders().set("Content-Security-Policy", contentSecurityPolicy);
		byte[] body = html().getBytes(StandardCharsets.UTF_8);
		return response.writeWith(Mono.just(response.bufferFactory().wrap(body)));
	}

	public String html() {
		return LAYOUT.formatted(escape(this.title), String.join("\n", this.blocks));
	}

	/** Text made safe for element content and quoted attribute values. */
	public static String escape(String text) {
		return HtmlUtils.htmlEscape(text, "UTF-8");
	}

}
