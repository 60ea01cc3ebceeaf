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
 * The gateway's admin API over real HTTP, as LEAN support's scripts call it: {@code PUT} the
 * organisation, its SSO settings (the three credentials of the help article) and its accounts.
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

	/** {@code POST /admin/tenants/{slug}/sso/setup-links}: the new link's URL. */
	String createSetupLink(String slug, Map<String, ?> body) {
		HttpRequest request = HttpRequest.newBuilder(this.base.resolve("/admin/tenants/" + slug + "/sso/setup-links"))
			.timeout(Duration.ofSeconds(20))
			.header("Authorization", "Bearer " + this.token)
			.header("Content-Type", "application/json")
			.header("Accept", "application/json")
			.POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body)))
			.build();
		try {
			HttpResponse<String> response = this.http.send(request, HttpResponse.BodyHandlers.ofString());
			if (response.statusCode() != 201) {
				throw new IllegalStateException("POST setup-links answered " + response.statusCode() + ": " + response.body());
			}
			return json.readTree(response.body()).get("url").stringValue();
		}
		catch (IOException ex) {
			throw new IllegalStateException("POST setup-links failed: " + ex.getMessage(), ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted", ex);
		}
	}

	private void put(String path, Map<String, ?> body) {
		HttpRequest request = HttpRequest.newBuilder(this.base.resolve(path))
			.timeout(Duration.ofSeconds(20))
			.header("Authorization", "Bearer " + this.token)
			.header("Content-Type", "application/json")
			.header("Accept", "application/json")
			.PUT(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body)))
			.build();
		try {
			HttpResponse<String> response = this.http.send(request, HttpResponse.BodyHandlers.ofString());
			if (response.statusCode() / 100 != 2) {
				throw new IllegalStateException("PUT " + path + " answered " + response.statusCode() + ": " + response.body());
			}
		}
		catch (IOException ex) {
			throw new IllegalStateException("PUT " + path + " failed: " + ex.getMessage(), ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted", ex);
		}
	}

}
