package com.iotorq.lean.gateway.test.entra;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code /{tid}/oauth2/v2.0/token}: the client is authenticated first (unknown client
 * 400, bad or expired secret or a client assertion that fails
 * {@link ClientAssertionCheck} 401), then the grant: {@code authorization_code}
 * (single-use code, same client and redirect URI, PKCE) or {@code client_credentials} (a
 * {@code .default} scope). Errors are Entra's JSON.
 */
final class TokenEndpoint {

	private final IdTokens idTokens;

	private final AccessTokens accessTokens;

	private final EntraClock clock;

	private final ClientAssertionCheck assertions;

	TokenEndpoint(IdTokens idTokens, AccessTokens accessTokens, EntraClock clock) {
		this.idTokens = idTokens;
		this.accessTokens = accessTokens;
		this.clock = clock;
		this.assertions = new ClientAssertionCheck(clock);
	}

	Reply handle(TestEntra.Recorded request, TestEntraDirectory directory) {
		if (!"POST".equals(request.method())) {
			return error(400, EntraErrors.postOnly(request.method()), directory);
		}
		ClientCredentials client = ClientCredentials.from(request);
		if (client.clientId() == null) {
			return error(400, EntraErrors.missingParameter("client_id"), directory);
		}
		TestEntraApp app = directory.app(client.clientId());
		if (app == null) {
			return error(400, EntraErrors.appNotFound(client.clientId(), directory), directory);
		}
		EntraError unauthenticated = client.asserted()
				? this.assertions.check(client.assertionType(), client.assertion(), app, directory) : client.check(app);
		if (unauthenticated != null) {
			return error("invalid_client".equals(unauthenticated.error()) ? 401 : 400, unauthenticated, directory);
		}
		return grant(request, directory, app);
	}

	private Reply grant(TestEntra.Recorded request, TestEntraDirectory directory, TestEntraApp app) {
		String grantType = request.form("grant_type");
		if ("authorization_code".equals(grantType)) {
			return authorizationCode(request, directory, app);
		}
		if ("client_credentials".equals(grantType)) {
			return clientCredentials(request, directory, app);
		}
		return error(400, (grantType == null) ? EntraErrors.missingParameter("grant_type")
				: EntraErrors.unsupportedGrantType(grantType), directory);
	}

	private Reply authorizationCode(TestEntra.Recorded request, TestEntraDirectory directory, TestEntraApp app) {
		String code = request.form("code");
		if (code == null) {
			return error(400, EntraErrors.missingParameter("code"), directory);
		}
		AuthorizationCodes.Grant grant = directory.codes().find(code, this.clock.now());
		EntraError refused = refuse(grant, code, request, directory, app);
		if (refused != null) {
			return error(400, refused, directory);
		}
		if (!directory.codes().redeem(code, grant)) {
			return error(400, EntraErrors.codeRedeemed(), directory);
		}
		return Reply.json(200, signedIn(app, grant));
	}

	/** Why this code cannot be redeemed by this request, or {@code null}. */
	private static EntraError refuse(AuthorizationCodes.Grant grant, String code, TestEntra.Recorded request,
			TestEntraDirectory directory, TestEntraApp app) {
		if (grant == null) {
			return directory.codes().wasRedeemed(code) ? EntraErrors.codeRedeemed() : EntraErrors.codeExpired();
		}
		if (!grant.clientId().equals(app.clientId())) {
			return EntraErrors.grantMalformed();
		}
		String redirectUri = request.form("redirect_uri");
		if (!grant.redirectUri().equals(redirectUri)) {
			return EntraErrors.replyAddressMismatch(redirectUri, grant.redirectUri());
		}
		return grant.verifiedBy(request.form("code_verifier")) ? null : EntraErrors.codeVerifierMismatch();
	}

	private Map<String, Object> signedIn(TestEntraApp app, AuthorizationCodes.Grant grant) {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("token_type", "Bearer");
		body.put("scope", "openid profile email");
		body.put("expires_in", AccessTokens.lifetimeSeconds);
		body.put("ext_expires_in", AccessTokens.lifetimeSeconds);
		body.put("access_token", this.accessTokens.issue(app, grant.user(), this.clock.now()));
		body.put("id_token", this.idTokens.mint(app, grant.user(), grant.nonce()));
		return body;
	}

	private Reply clientCredentials(TestEntra.Recorded request, TestEntraDirectory directory, TestEntraApp app) {
		String scope = request.form("scope");
		if (scope == null) {
			return error(400, EntraErrors.missingParameter("scope"), directory);
		}
		if (!scope.endsWith("/.default")) {
			return error(400, EntraErrors.clientCredentialsScope(scope), directory);
		}
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("token_type", "Bearer");
		body.put("expires_in", AccessTokens.lifetimeSeconds);
		body.put("ext_expires_in", AccessTokens.lifetimeSeconds);
		body.put("access_token", this.accessTokens.issueAppOnly(app, this.clock.now()));
		return Reply.json(200, body);
	}

	private static Reply error(int status, EntraError error, TestEntraDirectory directory) {
		return Reply.json(status, error.json(directory.authority()));
	}

}
