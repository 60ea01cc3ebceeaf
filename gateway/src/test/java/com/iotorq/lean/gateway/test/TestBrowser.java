package com.iotorq.lean.gateway.test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.cookie.ClientCookieDecoder;
import io.netty.handler.codec.http.cookie.Cookie;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufFlux;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.LoopResources;

/**
 * A minimal browser for tests: real HTTP, a host-only cookie jar, redirects followed one
 * at a time so each step can be inspected. Every host is reached on 127.0.0.1 (names like
 * {@code acme.lean.test} do not resolve) while the {@code Host} header carries the name,
 * as a browser would send it.
 */
public final class TestBrowser {

	/**
	 * Loops of its own: closing a gateway context disposes Reactor Netty's global ones.
	 */
	private static final LoopResources LOOPS = LoopResources.create("test-browser", 2, true);

	// a connection per request, as simple to reason about as a browser tab opening one
	private final HttpClient http = HttpClient.newConnection()
		.runOn(LOOPS)
		.followRedirect(false)
		.responseTimeout(Duration.ofSeconds(20));

	/** Cookies by host (host-only, as the gateway sets them), then by name. */
	private final Map<String, Map<String, String>> cookies = new ConcurrentHashMap<>();

	private final Map<String, String> extraHeaders = new LinkedHashMap<>();

	public Response get(String url) {
		return send(HttpMethod.GET, URI.create(url), null, Map.of());
	}

	public Response get(String url, Map<String, String> headers) {
		return send(HttpMethod.GET, URI.create(url), null, headers);
	}

	public Response post(String url, String form, Map<String, String> headers) {
		return send(HttpMethod.POST, URI.create(url), form, headers);
	}

	/** Follows one redirect. */
	public Response follow(Response response) {
		if (response.location() == null) {
			throw new AssertionError("not a redirect: " + response.status() + " " + response.url());
		}
		return get(response.url().resolve(response.location()).toString());
	}

	/** Follows redirects until a response that is not one, at most 10. */
	public Response followAll(Response response) {
		Response current = response;
		for (int i = 0; i < 10 && current.location() != null; i++) {
			current = follow(current);
		}
		return current;
	}

	/** Sends a header with every request, e.g. {@code Accept}. */
	public TestBrowser always(String name, String value) {
		this.extraHeaders.put(name, value);
		return this;
	}

	public void setCookie(String host, String name, String value) {
		this.cookies.computeIfAbsent(host, h -> new ConcurrentHashMap<>()).put(name, value);
	}

	public String cookie(String host, String name) {
		return this.cookies.getOrDefault(host, Map.of()).get(name);
	}

	public void clearCookies() {
		this.cookies.clear();
	}

	private Response send(HttpMethod method, URI url, String form, Map<String, String> headers) {
		String host = url.getHost();
		int port = (url.getPort() != -1) ? url.getPort() : ("https".equals(url.getScheme()) ? 443 : 80);
		String hostHeader = host + ((url.getPort() != -1) ? ":" + url.getPort() : "");
		String path = url.getRawPath() + ((url.getRawQuery() != null) ? "?" + url.getRawQuery() : "");
		Map<String, String> jar = this.cookies.getOrDefault(host, Map.of());
		HttpClient client = this.http.host("127.0.0.1").port(port).headers(h -> {
			h.set(HttpHeaderNames.HOST, hostHeader);
			h.set(HttpHeaderNames.ACCEPT, "text/html,application/xhtml+xml");
			this.extraHeaders.forEach(h::set);
			headers.forEach(h::set);
			if (!jar.isEmpty()) {
				h.set(HttpHeaderNames.COOKIE,
						String.join("; ", jar.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList()));
			}
			if (form != null) {
				h.set(HttpHeaderNames.CONTENT_TYPE, "application/x-www-form-urlencoded");
			}
		});
		Response response = client.request(method)
			.uri(path)
			.send((request, outbound) -> (form != null)
					? outbound.send(ByteBufFlux.fromString(Mono.just(form), StandardCharsets.UTF_8, outbound.alloc()))
					: outbound)
			.responseSingle((head, body) -> body.asString(StandardCharsets.UTF_8)
				.defaultIfEmpty("")
				.map(text -> new Response(url, head.status().code(), copy(head.responseHeaders()), text)))
			.block(Duration.ofSeconds(30));
		store(host, response);
		return response;
	}

	private void store(String host, Response response) {
		for (String header : response.headers().getOrDefault("set-cookie", List.of())) {
			Cookie cookie = ClientCookieDecoder.LAX.decode(header);
			if (cookie == null) {
				continue;
			}
			Map<String, String> jar = this.cookies.computeIfAbsent(host, h -> new ConcurrentHashMap<>());
			if (cookie.maxAge() == 0 || cookie.value().isEmpty()) {
				jar.remove(cookie.name());
			}
			else {
				jar.put(cookie.name(), cookie.value());
			}
		}
	}

	private static Map<String, List<String>> copy(HttpHeaders headers) {
		Map<String, List<String>> copy = new LinkedHashMap<>();
		headers.forEach(h -> copy.computeIfAbsent(h.getKey().toLowerCase(java.util.Locale.ROOT), k -> new ArrayList<>())
			.add(h.getValue()));
		return copy;
	}

	/**
	 * @param url the URL requested
	 * @param status the status code
	 * @param headers headers by lower-case name
	 * @param body the body as text
	 */
	public record Response(URI url, int status, Map<String, List<String>> headers, String body) {

		public String header(String name) {
			List<String> values = this.headers.get(name.toLowerCase(java.util.Locale.ROOT));
			return (values == null || values.isEmpty()) ? null : values.get(0);
		}

		public String location() {
			return header("location");
		}

		/** The query parameters of the redirect target, decoded. */
		public Map<String, String> locationParams() {
			Map<String, String> params = new LinkedHashMap<>();
			String query = URI.create(location()).getRawQuery();
			if (query != null) {
				for (String pair : query.split("&")) {
					int eq = pair.indexOf('=');
					String name = java.net.URLDecoder.decode((eq < 0) ? pair : pair.substring(0, eq),
							StandardCharsets.UTF_8);
					String value = (eq < 0) ? ""
							: java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
					params.put(name, value);
				}
			}
			return params;
		}

		@Override
		public String toString() {
			return this.status + " " + this.url + ((location() != null) ? " -> " + location() : "");
		}

	}

}
