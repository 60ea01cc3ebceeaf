package com.iotorq.lean.gateway.tryout;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import tools.jackson.databind.json.JsonMapper;

import org.springframework.web.util.UriUtils;

/**
 * The gateway's admin API over real HTTP, as LEAN support's scripts call it: {@code PUT}
 * the organisation, its SSO settings (the three credentials of the help article) and its
 * accounts.
 */
final class AdminClient {

	private static final JsonMapper json = JsonMapper.builder().build();

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final URI base;

	private final String token;

	AdminClient(URI base, String token) {
		this.base = base;
		this.token = token;
	}

	void putTenant(String slug, Map<String, ?> body) {
		put("/admin/tenants/" + slug, body);
	}

	void putSso(String slug, Map<String, ?> body) {
		put("/admin/tenants/" + slug + "/sso", body);
	}

	void putAccount(String slug, String email, Map<String, ?> body) {
		put("/admin/tenants/" + slug + "/users/" + UriUtils.encodePathSegment(email, StandardCharsets.UTF_8), body);
	}

	/** {@code POST} a JSON body; returns the answer's body. */
	String post(String path, Map<String, ?> body) {
		return new String(send("POST", path, HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body))),
				StandardCharsets.UTF_8);
	}

	/** {@code GET}; returns the answer's bytes, e.g. a certificate file. */
	byte[] getBytes(String path) {
		return send("GET", path, HttpRequest.BodyPublishers.noBody());
	}

	/** Reads one field of a JSON answer. */
	static String field(String json, String name) {
		return AdminClient.json.readTree(json).get(name).asString();
	}

	/** {@code POST /admin/tenants/{slug}/sso/setup-links}: the new link's URL. */
	String createSetupLink(String slug, Map<String, ?> body) {
		return field(post("/admin/tenants/" + slug + "/sso/setup-links", body), "url");
	}

	private void put(String path, Map<String, ?> body) {
		send("PUT", path, HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body)));
	}

	private byte[] send(String method, String path, HttpRequest.BodyPublisher body) {
		HttpRequest request = HttpRequest.newBuilder(this.base.resolve(path))
			.timeout(Duration.ofSeconds(20))
			.header("Authorization", "Bearer " + this.token)
			.header("Content-Type", "application/json")
			.method(method, body)
			.build();
		try {
			HttpResponse<byte[]> response = this.http.send(request, HttpResponse.BodyHandlers.ofByteArray());
			if (response.statusCode() / 100 != 2) {
				throw new IllegalStateException(method + " " + path + " answered " + response.statusCode() + ": "
						+ new String(response.body(), StandardCharsets.UTF_8));
			}
			return response.body();
		}
		catch (IOException ex) {
			throw new IllegalStateException(method + " " + path + " failed: " + ex.getMessage(), ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted", ex);
		}
	}

}
