package com.iotorq.lean.gateway.sso.pages;

import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Locale;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.util.MultiValueMap;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.util.UriComponentsBuilder;

import com.iotorq.lean.gateway.observability.RequestLogContext;
import com.iotorq.lean.gateway.sso.provider.IdentityProviders;
import com.iotorq.lean.gateway.sso.provider.ProviderError;
import com.iotorq.lean.gateway.tenant.SsoSettings;
import com.iotorq.lean.gateway.tenant.Tenant;
import com.iotorq.lean.gateway.web.ErrorCode;
import com.iotorq.lean.gateway.web.ErrorReport;
import com.iotorq.lean.gateway.web.ErrorResponses;
import com.iotorq.lean.gateway.web.GatewayException;
import com.iotorq.lean.gateway.web.GatewayPaths;
import com.iotorq.lean.gateway.web.Page;

/**
 * Lets an administrator of the organisation's directory grant consent for everyone
 * ({@code GET /oauth/admin-consent}), before anyone can sign in. The provider returns to
 * the one redirect URI the help article registers, {@code /oauth/complete/}, so its
 * answer is recognised there by the state kept in the session.
 */
public final class AdminConsentFlow {

	private static final Logger logger = LoggerFactory.getLogger(AdminConsentFlow.class);

	/** Session attribute: the pending consent request. */
	static final String ATTRIBUTE = AdminConsentFlow.class.getName() + ".pending";

	private static final Duration VALIDITY = Duration.ofMinutes(15);

	private final SecureRandom random = new SecureRandom();

	private final IdentityProviders providers;

	private final Clock clock;

	public AdminConsentFlow(IdentityProviders providers, Clock clock) {
		this.providers = providers;
		this.clock = clock;
	}

	/** Sends the administrator to the provider's admin-consent page. */
	public Mono<Void> start(ServerWebExchange exchange, Tenant tenant) {
		SsoSettings sso = tenant.sso();
		if (sso == null) {
			return Mono.error(new GatewayException(ErrorCode.SSO_NOT_ENABLED));
		}
		byte[] bytes = new byte[32];
		this.random.nextBytes(bytes);
		String state = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
		URI target = this.providers.get(sso.provider()).adminConsentUri(sso, redirectUri(exchange), state).orElse(null);
		if (target == null) {
			// only Entra has an admin-consent page; other providers ask for consent at
			// sign-in
			return Mono.error(new GatewayException(ErrorCode.NOT_FOUND));
		}
		return exchange.getSession().flatMap(session -> {
			session.getAttributes().put(ATTRIBUTE, new Pending(state, tenant.slug(), this.clock.instant()));
			ServerHttpResponse response = exchange.getResponse();
			response.setStatusCode(HttpStatus.FOUND);
			response.getHeaders().setLocation(target);
			response.getHeaders().setCacheControl("no-store");
			return response.setComplete();
		});
	}

	/**
	 * Handles the provider's answer when the callback carries the state of a pending
	 * consent.
	 * @return whether it was a consent answer (and has been answered)
	 */
	public Mono<Boolean> complete(ServerWebExchange exchange, Tenant tenant) {
		MultiValueMap<String, String> query = exchange.getRequest().getQueryParams();
		String state = query.getFirst("state");
		if (state == null || !(query.containsKey("admin_consent") || query.containsKey("error"))) {
			return Mono.just(false);
		}
		return exchange.getSession().flatMap(session -> {
			Object value = session.getAttributes().get(ATTRIBUTE);
			if (!(value instanceof Pending pending) || !pending.state().equals(state)
					|| !pending.tenantSlug().equals(tenant.slug())) {
				return Mono.just(false);
			}
			session.getAttributes().remove(ATTRIBUTE);
			if (this.clock.instant().isAfter(pending.startedAt().plus(VALIDITY))) {
				return ErrorResponses
					.write(exchange,
							ErrorReport.of(ErrorCode.SIGN_IN_EXPIRED)
								.withLink("Start again", GatewayPaths.ADMIN_CONSENT))
					.thenReturn(true);
			}
			return answer(exchange, tenant, query).thenReturn(true);
		});
	}

	private Mono<Void> answer(ServerWebExchange exchange, Tenant tenant, MultiValueMap<String, String> query) {
		SsoSettings sso = tenant.sso();
		if (sso == null) {
			// single sign-on was turned off while the administrator was at the provider
			return Mono.error(new GatewayException(ErrorCode.SSO_NOT_ENABLED));
		}
		String error = query.getFirst("error");
		if (error != null || !"true".equalsIgnoreCase(query.getFirst("admin_consent"))) {
			var explained = this.providers.get(sso.provider())
				.explain((error != null) ? error : "consent_not_granted", query.getFirst("error_description"));
			RequestLogContext.log(exchange, () -> logger.info("Admin consent for {} was not granted: {}", tenant.slug(),
					explained.map(ProviderError::code).orElse("unknown error")));
			ErrorReport report = ErrorReport.of(ErrorCode.SIGN_IN_FAILED)
				.withStatus(HttpStatus.FORBIDDEN)
				.withText("Admin consent was not granted",
						explained.map(ProviderError::detail).orElse("Consent was not granted for your organisation."),
						"Only an administrator of your organisation's directory can grant consent. Try again, or ask one to.")
				.withFact("error", "Error code", explained.map(ProviderError::code).orElse(null))
				.withFact("correlationId", "Correlation ID", explained.map(ProviderError::correlationId).orElse(null))
				.withLink("Try again", GatewayPaths.ADMIN_CONSENT);
			return ErrorResponses.write(exchange, report);
		}
		String directory = query.getFirst("tenant");
		boolean sameDirectory = directory != null
				&& directory.toLowerCase(Locale.ROOT).equals(sso.directoryId().toLowerCase(Locale.ROOT));
		RequestLogContext.log(exchange, () -> logger
			.info("Admin consent granted for {} (directory matches settings: {})", tenant.slug(), sameDirectory));
		Page page = Page.titled("Admin consent granted")
			.paragraph(
					"Everyone in " + tenant.displayName() + " can now sign in to ioTORQ LEAN with their work account.");
		if (!sameDirectory) {
			page.action("Consent was granted in a different directory than the one LEAN holds for your organisation. "
					+ "Contact LEAN support so they can check the Tenant ID.");
		}
		page.button("Sign in to ioTORQ LEAN", GatewayPaths.LOGIN);
		return page.writeTo(exchange);
	}

	private static String redirectUri(ServerWebExchange exchange) {
		return UriComponentsBuilder.fromUri(exchange.getRequest().getURI())
			.replacePath(GatewayPaths.CALLBACK)
			.replaceQuery(null)
			.fragment(null)
			.build()
			.toUriString();
	}

	/**
	 * @param state the state sent to the provider
	 * @param tenantSlug the organisation it was started for
	 * @param startedAt when it was started
	 */
	record Pending(String state, String tenantSlug, Instant startedAt) implements java.io.Serializable {
	}

}
