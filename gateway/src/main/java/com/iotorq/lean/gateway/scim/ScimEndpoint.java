package com.iotorq.lean.gateway.scim;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;

import com.unboundid.scim2.common.exceptions.BadRequestException;
import com.unboundid.scim2.common.exceptions.MethodNotAllowedException;
import com.unboundid.scim2.common.exceptions.NotImplementedException;
import com.unboundid.scim2.common.exceptions.ResourceNotFoundException;
import com.unboundid.scim2.common.exceptions.ScimException;
import com.unboundid.scim2.common.exceptions.UnauthorizedException;
import com.unboundid.scim2.common.messages.ErrorResponse;
import com.unboundid.scim2.common.utils.JsonUtils;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.util.UriComponentsBuilder;

import com.iotorq.lean.gateway.observability.RequestLogContext;
import com.iotorq.lean.gateway.ratelimit.TenantRateLimits;
import com.iotorq.lean.gateway.tenant.Tenant;
import com.iotorq.lean.gateway.web.ErrorResponses;
import com.iotorq.lean.gateway.web.GatewayException;
import com.iotorq.lean.gateway.web.GatewayPaths;

/**
 * The pipeline's SCIM step: an organisation's SCIM 2.0 endpoint ({@code /scim/v2/**} on
 * its own host), where Entra's provisioning service manages its accounts. In order:
 * <ol>
 * <li>the organisation's SCIM budget ({@link TenantRateLimits}, 429 with
 * {@code Retry-After});</li>
 * <li>the organisation's bearer token ({@link ScimTokens}), in the {@code Authorization}
 * header only: a missing or wrong one, or another organisation's, is 401. No cookie,
 * session or sign-in is ever read here, so another site's page has nothing to ride
 * on;</li>
 * <li>{@code /ServiceProviderConfig}, {@code /Schemas}, {@code /ResourceTypes}
 * ({@link ScimDiscovery}) and {@code /Users} ({@link ScimUsers}); {@code /Groups} is 501,
 * as the endpoint advertises no groups.</li>
 * </ol>
 * Every answer, errors included, is {@code application/scim+json}; errors have SCIM's
 * {@code schemas}, {@code status}, {@code scimType} and {@code detail} (RFC 7644 §3.12).
 * Nothing here is forwarded to a backend.
 */
public final class ScimEndpoint {

	/** SCIM's media type (RFC 7644 §8.1). */
	public static final MediaType SCIM_JSON = MediaType.parseMediaType("application/scim+json");

	/** The largest request body read; Entra's are a few kilobytes. */
	static final int MAX_BODY_BYTES = 64 * 1024;

	private static final Duration DATABASE_RETRY_AFTER = Duration.ofSeconds(30);

	private static final Logger logger = LoggerFactory.getLogger(ScimEndpoint.class);

	private final TenantRateLimits limits;

	private final ScimTokens tokens;

	private final ScimUsers users;

	private final ScimDiscovery discovery = new ScimDiscovery();

	public ScimEndpoint(TenantRateLimits limits, ScimTokens tokens, ScimUsers users) {
		this.limits = limits;
		this.tokens = tokens;
		this.users = users;
	}

	/**
	 * Whether the request is for the SCIM endpoint (the path as the firewall left it).
	 */
	public boolean isScim(ServerWebExchange exchange) {
		return GatewayPaths.isScim(exchange.getRequest().getPath().value());
	}

	/** Answers the request for the organisation whose host it came to. */
	public Mono<Void> handle(ServerWebExchange exchange, Tenant tenant) {
		Mono<Void> answer;
		try {
			Mono<Void> admitted = this.limits.admit(exchange, tenant);
			Mono<Void> authorised = Mono.defer(() -> authorise(exchange, tenant))
				.then(Mono.defer(() -> dispatch(exchange, tenant)));
			answer = (admitted != null) ? admitted.then(authorised) : authorised;
		}
		catch (RuntimeException refused) {
			answer = Mono.error(refused);
		}
		return answer.onErrorResume(ex -> error(exchange, tenant, ex));
	}

	private Mono<Void> authorise(ServerWebExchange exchange, Tenant tenant) {
		String token = bearerToken(exchange.getRequest());
		if (token == null) {
			return Mono.error(new UnauthorizedException("The request has no bearer token. Enter this organisation's "
					+ "SCIM token as the Secret Token in Entra's provisioning settings."));
		}
		return this.tokens.isValid(tenant, token)
			.flatMap(valid -> valid ? Mono.<Void>empty()
					: Mono.error(new UnauthorizedException("The bearer token is not this organisation's SCIM token "
							+ "(it may have been replaced or revoked). Ask LEAN support for a new token and enter it "
							+ "as the Secret Token in Entra's provisioning settings.")));
	}

	private static @Nullable String bearerToken(ServerHttpRequest request) {
		String authorization = request.getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
		if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
			return null;
		}
		String token = authorization.substring(7).strip();
		return token.isEmpty() ? null : token;
	}

	private Mono<Void> dispatch(ServerWebExchange exchange, Tenant tenant) {
		ServerHttpRequest request = exchange.getRequest();
		HttpMethod method = request.getMethod();
		List<String> segments = segments(request.getPath().value());
		URI base = base(request);
		String resource = segments.isEmpty() ? "" : segments.get(0);
		String id = (segments.size() == 2) ? segments.get(1) : null;
		if (segments.size() > 2) {
			return Mono.error(notFound(request));
		}
		switch (resource) {
			case "Users" -> {
				if (id == null) {
					if (HttpMethod.GET.equals(method)) {
						String filter = request.getQueryParams().getFirst("filter");
						return intParam(request, "startIndex", 1)
							.zipWith(intParam(request, "count", ScimUsers.MAX_PAGE))
							.flatMap(page -> this.users.search(tenant, filter, page.getT1(), page.getT2(), base))
							.flatMap(list -> write(exchange, HttpStatus.OK, list, null));
					}
					if (HttpMethod.POST.equals(method)) {
						return body(exchange).flatMap(body -> this.users.create(tenant, body, base))
							.flatMap(created -> write(exchange, HttpStatus.CREATED, created,
									created.path("meta").path("location").asString()));
					}
					return Mono.error(methodNotAllowed(method, "GET, POST"));
				}
				if (HttpMethod.GET.equals(method)) {
					return this.users.get(tenant, id, base).flatMap(user -> write(exchange, HttpStatus.OK, user, null));
				}
				if (HttpMethod.PUT.equals(method)) {
					return body(exchange).flatMap(body -> this.users.replace(tenant, id, body, base))
						.flatMap(user -> write(exchange, HttpStatus.OK, user, null));
				}
				if (HttpMethod.PATCH.equals(method)) {
					return body(exchange).flatMap(body -> this.users.patch(tenant, id, body, base))
						.flatMap(user -> write(exchange, HttpStatus.OK, user, null));
				}
				if (HttpMethod.DELETE.equals(method)) {
					return this.users.delete(tenant, id).then(Mono.defer(() -> {
						exchange.getResponse().setStatusCode(HttpStatus.NO_CONTENT);
						commonHeaders(exchange.getResponse().getHeaders());
						return exchange.getResponse().setComplete();
					}));
				}
				return Mono.error(methodNotAllowed(method, "GET, PUT, PATCH, DELETE"));
			}
			case "Groups" -> {
				return Mono.error(new NotImplementedException("This endpoint provisions users only, not groups. In "
						+ "Entra's provisioning settings, set \"Provision Microsoft Entra ID Groups\" to No under "
						+ "Mappings, and assign people (or groups, whose members are provisioned as users) to the app."));
			}
			case "ServiceProviderConfig", "Schemas", "ResourceTypes" -> {
				if (!HttpMethod.GET.equals(method)) {
					return Mono.error(methodNotAllowed(method, "GET"));
				}
				return Mono.fromCallable(() -> discovered(resource, id))
					.flatMap(document -> write(exchange, HttpStatus.OK, document, null));
			}
			default -> {
				return Mono.error(notFound(request));
			}
		}
	}

	private Object discovered(String resource, @Nullable String id) throws ScimException {
		return switch (resource) {
			case "ServiceProviderConfig" -> {
				if (id != null) {
					throw new ResourceNotFoundException("There is no /ServiceProviderConfig/" + id + ".");
				}
				yield this.discovery.serviceProviderConfig();
			}
			case "Schemas" -> (id != null) ? this.discovery.schema(id) : this.discovery.schemas();
			default -> (id != null) ? this.discovery.resourceType(id) : this.discovery.resourceTypes();
		};
	}

	/** The path's segments after the SCIM base. */
	private static List<String> segments(String path) {
		String rest = path.substring(GatewayPaths.SCIM.length());
		return List.of(rest.split("/")).stream().filter(segment -> !segment.isEmpty()).toList();
	}

	/** The SCIM base as the client addressed it, for {@code meta.location}. */
	private static URI base(ServerHttpRequest request) {
		return UriComponentsBuilder.fromUri(request.getURI())
			.replacePath(GatewayPaths.SCIM)
			.replaceQuery(null)
			.fragment(null)
			.build()
			.toUri();
	}

	private static Mono<Integer> intParam(ServerHttpRequest request, String name, int defaultValue) {
		String value = request.getQueryParams().getFirst(name);
		if (value == null || value.isBlank()) {
			return Mono.just(defaultValue);
		}
		try {
			return Mono.just(Integer.parseInt(value.strip()));
		}
		catch (NumberFormatException ex) {
			return Mono.error(BadRequestException.invalidValue(name + " must be a whole number, not '" + value + "'."));
		}
	}

	/**
	 * The request body as JSON: 400 when it is none, 413 beyond {@link #MAX_BODY_BYTES}.
	 */
	private static Mono<JsonNode> body(ServerWebExchange exchange) {
		return DataBufferUtils.join(exchange.getRequest().getBody(), MAX_BODY_BYTES).map(buffer -> {
			try {
				return buffer.toString(StandardCharsets.UTF_8);
			}
			finally {
				DataBufferUtils.release(buffer);
			}
		}).defaultIfEmpty("").flatMap(text -> {
			if (text.isBlank()) {
				return Mono.error(BadRequestException.invalidSyntax("The request has no body."));
			}
			try {
				return Mono.just(JsonUtils.getObjectReader().readTree(text));
			}
			catch (JacksonException ex) {
				return Mono.error(BadRequestException
					.invalidSyntax("The request body is not valid JSON: " + ex.getOriginalMessage()));
			}
		});
	}

	private static Mono<Void> write(ServerWebExchange exchange, HttpStatus status, Object body,
			@Nullable String location) {
		ServerHttpResponse response = exchange.getResponse();
		response.setStatusCode(status);
		HttpHeaders headers = response.getHeaders();
		commonHeaders(headers);
		headers.setContentType(SCIM_JSON);
		if (location != null && !location.isEmpty()) {
			headers.set(HttpHeaders.LOCATION, location);
		}
		byte[] bytes = JsonUtils.getObjectWriter().writeValueAsBytes(body);
		DataBuffer buffer = response.bufferFactory().wrap(bytes);
		return response.writeWith(Mono.just(buffer));
	}

	private static void commonHeaders(HttpHeaders headers) {
		headers.setCacheControl("no-store");
		headers.set("X-Content-Type-Options", "nosniff");
	}

	/** Every failure as a SCIM error; unexpected ones are logged, never shown. */
	private Mono<Void> error(ServerWebExchange exchange, Tenant tenant, Throwable ex) {
		if (exchange.getResponse().isCommitted()) {
			return Mono.error(ex);
		}
		ErrorResponse error;
		Duration retryAfter = null;
		if (ex instanceof ScimException scim) {
			error = scim.getScimError();
			if (scim instanceof UnauthorizedException) {
				exchange.getResponse().getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"SCIM\"");
				RequestLogContext.log(exchange,
						() -> logger.info("Refused a SCIM request to '{}' without its token", tenant.slug()));
			}
		}
		else if (ex instanceof GatewayException refused) {
			error = new ErrorResponse(refused.code().status().value());
			error.setDetail(refused.detail());
			retryAfter = refused.retryAfter();
		}
		else if (ex instanceof DataBufferLimitException) {
			error = new ErrorResponse(HttpStatus.CONTENT_TOO_LARGE.value());
			error.setDetail("The request body is larger than " + MAX_BODY_BYTES / 1024 + " KiB.");
		}
		else if (isDatabaseUnavailable(ex)) {
			RequestLogContext.log(exchange,
					() -> logger.warn("SCIM request to '{}' answered 503: {}", tenant.slug(), ex.toString()));
			error = new ErrorResponse(HttpStatus.SERVICE_UNAVAILABLE.value());
			error.setDetail("ioTORQ LEAN cannot answer this request right now; Entra will try again.");
			retryAfter = DATABASE_RETRY_AFTER;
		}
		else {
			RequestLogContext.log(exchange, () -> logger.error("Unexpected failure of SCIM {} {} for '{}'",
					exchange.getRequest().getMethod(), exchange.getRequest().getPath().value(), tenant.slug(), ex));
			error = new ErrorResponse(HttpStatus.INTERNAL_SERVER_ERROR.value());
			error.setDetail("An unexpected error stopped this request. If it persists, contact LEAN support.");
		}
		if (retryAfter != null) {
			exchange.getResponse()
				.getHeaders()
				.set(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, retryAfter.toSeconds())));
		}
		exchange.getResponse().getHeaders().set(ErrorResponses.ERROR_HEADER, "scim-" + error.getStatus());
		return write(exchange, HttpStatus.valueOf(error.getStatus()), error, null);
	}

	private static boolean isDatabaseUnavailable(Throwable ex) {
		for (Throwable t = ex; t != null; t = t.getCause()) {
			if (t instanceof io.r2dbc.spi.R2dbcNonTransientResourceException
					|| t instanceof io.r2dbc.spi.R2dbcTransientResourceException
					|| t instanceof CannotCreateTransactionException || t instanceof DataAccessResourceFailureException
					|| t instanceof TimeoutException) {
				return true;
			}
		}
		return false;
	}

	private static ScimException notFound(ServerHttpRequest request) {
		return new ResourceNotFoundException("There is nothing at " + request.getPath().value()
				+ ". The SCIM endpoint serves /Users, /ServiceProviderConfig, /Schemas and /ResourceTypes.");
	}

	private static ScimException methodNotAllowed(@Nullable HttpMethod method, String allowed) {
		return new MethodNotAllowedException(method + " is not allowed here; use " + allowed + ".");
	}

	@Override
	public String toString() {
		return "ScimEndpoint";
	}

}
