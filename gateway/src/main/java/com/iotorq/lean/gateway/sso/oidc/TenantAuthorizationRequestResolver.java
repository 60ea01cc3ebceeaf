package com.iotorq.lean.gateway.sso.oidc;

import reactor.core.publisher.Mono;

import org.springframework.security.oauth2.client.web.OAuth2AuthorizationRequestCustomizers;
import org.springframework.security.oauth2.client.web.server.DefaultServerOAuth2AuthorizationRequestResolver;
import org.springframework.security.oauth2.client.web.server.ServerOAuth2AuthorizationRequestResolver;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;
import org.springframework.security.web.server.util.matcher.PathPatternParserServerWebExchangeMatcher;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatcher;
import org.springframework.http.HttpMethod;
import org.springframework.web.server.ServerWebExchange;

import com.iotorq.lean.gateway.tenant.Tenant;
import com.iotorq.lean.gateway.tenant.TenantAttributes;
import com.iotorq.lean.gateway.web.ErrorCode;
import com.iotorq.lean.gateway.web.GatewayException;
import com.iotorq.lean.gateway.web.GatewayPaths;

/**
 * Starts sign-in at {@code GET /oauth/login?next=/path} with the registration of the
 * organisation the host names: state, nonce and PKCE (S256) always, and the sanitized
 * {@code next} kept with the request until its callback.
 */
public final class TenantAuthorizationRequestResolver implements ServerOAuth2AuthorizationRequestResolver {

	private static final ServerWebExchangeMatcher LOGIN = new PathPatternParserServerWebExchangeMatcher(
			GatewayPaths.LOGIN, HttpMethod.GET);

	private final DefaultServerOAuth2AuthorizationRequestResolver delegate;

	public TenantAuthorizationRequestResolver(TenantClientRegistrations registrations) {
		this.delegate = new DefaultServerOAuth2AuthorizationRequestResolver(registrations);
		// Security 7 applies PKCE to confidential clients by default; this keeps it so
		// whatever the registration says
		this.delegate.setAuthorizationRequestCustomizer(OAuth2AuthorizationRequestCustomizers.withPkce());
	}

	@Override
	public Mono<OAuth2AuthorizationRequest> resolve(ServerWebExchange exchange) {
		return LOGIN.matches(exchange).filter(ServerWebExchangeMatcher.MatchResult::isMatch).flatMap(match -> {
			Tenant tenant = TenantAttributes.required(exchange);
			if (!tenant.hasSso()) {
				return Mono.error(new GatewayException(ErrorCode.SSO_NOT_ENABLED));
			}
			return resolve(exchange, tenant.slug());
		});
	}

	@Override
	public Mono<OAuth2AuthorizationRequest> resolve(ServerWebExchange exchange, String registrationId) {
		String next = NextPath.sanitize(exchange.getRequest().getQueryParams().getFirst("next"));
		return this.delegate.resolve(exchange, registrationId)
			.map(request -> OAuth2AuthorizationRequest.from(request)
				.attributes(attributes -> attributes.put(PendingSignIns.NEXT, next))
				.build());
	}

}
