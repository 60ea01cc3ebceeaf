package com.iotorq.lean.gateway.sso.oidc;

import reactor.core.publisher.Mono;

import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClient;
import org.springframework.security.oauth2.client.web.server.ServerOAuth2AuthorizedClientRepository;
import org.springframework.web.server.ServerWebExchange;

/**
 * Keeps no access or refresh tokens: the gateway signs people in but calls no API on
 * their behalf, and backends never receive an IdP token. Nothing to leak, nothing to
 * grow.
 */
final class DiscardingAuthorizedClientRepository implements ServerOAuth2AuthorizedClientRepository {

	@Override
	public <T extends OAuth2AuthorizedClient> Mono<T> loadAuthorizedClient(String clientRegistrationId,
			Authentication principal, ServerWebExchange exchange) {
		return Mono.empty();
	}

	@Override
	public Mono<Void> saveAuthorizedClient(OAuth2AuthorizedClient authorizedClient, Authentication principal,
			ServerWebExchange exchange) {
		return Mono.empty();
	}

	@Override
	public Mono<Void> removeAuthorizedClient(String clientRegistrationId, Authentication principal,
			ServerWebExchange exchange) {
		return Mono.empty();
	}

}
