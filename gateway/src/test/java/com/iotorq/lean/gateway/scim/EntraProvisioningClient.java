package com.iotorq.lean.gateway.scim;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufFlux;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.LoopResources;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Speaks to an organisation's SCIM endpoint over real HTTP the way Entra's provisioning
 * service does: its headers ({@code Authorization: Bearer},
 * {@code Content-Type: application/scim+json}), its filter queries and the bodies it is
 * documented to send, quirks included.
 */
final class EntraProvisioningClient {

	private static final LoopResources LOOPS = LoopResources.create("test-entra-provisioning", 1, true);

	private static final JsonMapper json = JsonMapper.builder().build();

	private final HttpClient http = HttpClient.newConnection()
		.runOn(LOOPS)
		.followRedirect(false)
		.responseTimeout(Duration.ofSeconds(20));

	private final String host;

	private final int port;

	private final @Nullable String token;

	/**
	 * @param host the organisation's host, e.g. {@code acme.lean.test}
	 * @param port the gateway's public port
	 * @param token the Secret Token entered in Entra, or {@code null} for none
	 */
	EntraProvisioningClient(String host, int port, @Nullable String token) {
		this.host = host;
		this.port = port;
		this.token = token;
	}

	EntraProvisioningClient withToken(@Nullable String other) {
		return new EntraProvisioningClient(this.host, this.port, other);
	}

	/**
	 * {@code GET /Users?filter=attribute eq "value"}, as Entra asks before it creates or
	 * matches a user.
	 */
	Reply filter(String attribute, String value) {
		String filter = attribute + " eq \"" + value + "\"";
		return get("/Users?filter=" + URLEncoder.encode(filter, StandardCharsets.UTF_8).replace("+", "%20"));
	}

	Reply get(String path) {
		return send(HttpMethod.GET, path, null, Map.of());
	}

	Reply post(String path, String body) {
		return send(HttpMethod.POST, path, body, Map.of());
	}

	Reply put(String path, String body) {
		return send(HttpMethod.PUT, path, body, Map.of());
	}

	Reply patch(String path, String body) {
		return send(HttpMethod.PATCH, path, body, Map.of());
	}

	Reply delete(String path) {
		return send(HttpMethod.DELETE, path, null, Map.of());
	}

	Reply send(HttpMethod method, String path, @Nullable String body, Map<String, String> headers) {
		String hostHeader = this.host + ":" + this.port;
		HttpClient client = this.http.host("127.0.0.1").port(this.port).headers(h -> {
			h.set(HttpHeaderNames.HOST, hostHeader);
			h.set(HttpHeaderNames.ACCEPT, "application/scim+json");
			if (this.token != null) {
				h.set(HttpHeaderNames.AUTHORIZATION, "Bearer " + this.token);
			}
			if (body != null) {
				h.set(HttpHeaderNames.CONTENT_TYPE, "application/scim+json; charset=utf-8");
			}
			headers.forEach(h::set);
		});
		return client.request(method)
			.uri("/scim/v2" + path)
			.send((request, outbound) -> (body != null)
					? outbound.send(ByteBufFlux.fromString(Mono.just(body), StandardCharsets.UTF_8, outbound.alloc()))
					: outbound)
			.responseSingle((head, content) -> content.asString(StandardCharsets.UTF_8).defaultIfEmpty("").map(text -> {
				Map<String, List<String>> copy = new LinkedHashMap<>();
				head.responseHeaders()
					.forEach(e -> copy.computeIfAbsent(e.getKey().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
						.add(e.getValue()));
				return new Reply(head.status().code(), copy, text);
			}))
			.block(Duration.ofSeconds(30));
	}

	/**
	 * An answer of the endpoint.
	 *
	 * @param status the status code
	 * @param headers headers by lower-case name
	 * @param body the body as text
	 */
	record Reply(int status, Map<String, List<String>> headers, String body) {

		@Nullable String header(String name) {
			List<String> values = this.headers.get(name.toLowerCase(Locale.ROOT));
			return (values != null && !values.isEmpty()) ? values.get(0) : null;
		}

		JsonNode json() {
			return EntraProvisioningClient.json.readTree(this.body);
		}

		@Override
		public String toString() {
			return this.status + " " + this.body;
		}

	}

}
