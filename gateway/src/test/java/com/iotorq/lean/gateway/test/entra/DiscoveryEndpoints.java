package com.iotorq.lean.gateway.test.entra;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /{tid}/v2.0/.well-known/openid-configuration} and
 * {@code /{tid}/discovery/v2.0/keys}, shaped like Entra's for a single-tenant app. Like
 * Entra's, the configuration does not list {@code code_challenge_methods_supported}
 * although PKCE works.
 */
final class DiscoveryEndpoints {

	private final EntraKeys keys;

	DiscoveryEndpoints(EntraKeys keys) {
		this.keys = keys;
	}

	Reply configuration(TestEntraDirectory directory) {
		Map<String, Object> doc = new LinkedHashMap<>();
		doc.put("token_endpoint", directory.endpoint("/oauth2/v2.0/token"));
		doc.put("token_endpoint_auth_methods_supported",
				List.of("client_secret_post", "private_key_jwt", "client_secret_basic"));
		doc.put("jwks_uri", directory.endpoint("/discovery/v2.0/keys"));
		doc.put("response_modes_supported", List.of("query", "fragment", "form_post"));
		doc.put("subject_types_supported", List.of("pairwise"));
		doc.put("id_token_signing_alg_values_supported", List.of("RS256"));
		doc.put("response_types_supported", List.of("code", "id_token", "code id_token", "id_token token"));
		doc.put("scopes_supported", List.of("openid", "profile", "email", "offline_access"));
		doc.put("issuer", directory.issuer());
		doc.put("request_uri_parameter_supported", false);
		doc.put("userinfo_endpoint", directory.authority() + "/oidc/userinfo");
		doc.put("authorization_endpoint", directory.endpoint("/oauth2/v2.0/authorize"));
		doc.put("device_authorization_endpoint", directory.endpoint("/oauth2/v2.0/devicecode"));
		doc.put("http_logout_supported", true);
		doc.put("frontchannel_logout_supported", true);
		doc.put("end_session_endpoint", directory.endpoint("/oauth2/v2.0/logout"));
		doc.put("claims_supported", List.of("sub", "iss", "aud", "exp", "iat", "auth_time", "acr", "nonce", "name",
				"preferred_username", "email", "oid", "tid", "ver", "at_hash", "c_hash"));
		doc.put("tenant_region_scope", "EU");
		doc.put("cloud_instance_name", "microsoftonline.com");
		doc.put("msgraph_host", "graph.microsoft.com");
		return Reply.json(200, doc);
	}

	Reply keys(TestEntraDirectory directory) {
		return Reply.json(200, this.keys.jwks(directory.issuer()));
	}

}
