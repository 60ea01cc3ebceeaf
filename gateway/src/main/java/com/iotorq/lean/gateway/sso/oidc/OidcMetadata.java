package com.iotorq.lean.gateway.sso.oidc;

import java.net.URI;
import java.util.Map;

import com.github.benmanes.caffeine.cache.AsyncLoadingCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import reactor.core.publisher.Mono;

import org.springframework.core.ParameterizedTypeReference;

import com.iotorq.lean.gateway.sso.SsoProperties;

/**
 * Discovery documents of identity providers, fetched on first use and cached per issuer.
 * Failures are not cached, and a document whose {@code issuer} is not the one asked for
 * is refused (OpenID Connect Discovery 1.0, section 4.3).
 */
public final class OidcMetadata {

	private static final ParameterizedTypeReference<Map<String, Object>> JSON_OBJECT = new ParameterizedTypeReference<>() {
	};

	private final IdpHttp http;

	private final AsyncLoadingCache<URI, Map<String, Object>> documents;

	public OidcMetadata(IdpHttp http, SsoProperties properties) {
		this.http = http;
		this.documents = Caffeine.newBuilder()
			.maximumSize(10_000)
			.expireAfterWrite(properties.metadataTtl())
			.buildAsync((issuer, executor) -> fetch(issuer).toFuture());
	}

	public Mono<Map<String, Object>> forIssuer(URI issuer) {
		return Mono.fromFuture(() -> this.documents.get(issuer), true);
	}

	/**
	 * {@code {issuer}/.well-known/openid-configuration}, without a doubled slash for
	 * issuers that end with one (Discovery 1.0, section 4).
	 */
	public static URI location(URI issuer) {
		String value = issuer.toString();
		return URI.create((value.endsWith("/") ? value.substring(0, value.length() - 1) : value)
				+ "/.well-known/openid-configuration");
	}

	private Mono<Map<String, Object>> fetch(URI issuer) {
		URI location = location(issuer);
		return this.http
			.call(issuer.toString(), this.http.webClient().get().uri(location).retrieve().bodyToMono(JSON_OBJECT))
			// host names and Entra's tenant GUIDs compare without regard to case; the ID
			// token's iss is
			// then checked exactly against the issuer this document names
			.flatMap(document -> issuer.toString().equalsIgnoreCase(String.valueOf(document.get("issuer")))
					? Mono.just(document) : Mono.error(new IllegalStateException("The discovery document at " + location
							+ " names another issuer: " + document.get("issuer"))));
	}

}
