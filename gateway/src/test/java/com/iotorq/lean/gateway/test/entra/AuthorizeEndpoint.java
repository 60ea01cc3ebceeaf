package com.iotorq.lean.gateway.test.entra;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code /{tid}/oauth2/v2.0/authorize}, authorization code flow. In Entra's order: the
 * client id and the redirect URI are checked first and their errors shown as a page
 * (nowhere safe to redirect to); after that every outcome redirects back. The user is the
 * one {@link TestEntra#signInAs} chose, else the one picked on the account chooser, which
 * posts the original parameters back here with {@code oid} (or {@code cancel}).
 */
final class AuthorizeEndpoint {

	private final EntraClock clock;

	AuthorizeEndpoint(EntraClock clock) {
		this.clock = clock;
	}

	Reply handle(TestEntra.Recorded request, TestEntraDirectory directory) {
		Map<String, String> params = Params.of(request);
		String clientId = params.get("client_id");
		if (clientId == null) {
			return page(EntraErrors.missingParameter("client_id"));
		}
		TestEntraApp app = directory.app(clientId);
		if (app == null) {
			return page(EntraErrors.appNotFound(clientId, directory));
		}
		String redirectUri = params.getOrDefault("redirect_uri", app.defaultRedirectUri());
		if (redirectUri == null || !app.registered(redirectUri)) {
			return page(EntraErrors.redirectUriMismatch(redirectUri, clientId));
		}
		ReturnTo back = new ReturnTo(directory.authority(), redirectUri, params.get("state"));
		EntraError invalid = invalidRequest(params);
		if (invalid != null) {
			return back.error(invalid);
		}
		return selectUser(request, directory, app, params, back);
	}

	private Reply selectUser(TestEntra.Recorded request, TestEntraDirectory directory, TestEntraApp app,
			Map<String, String> params, ReturnTo back) {
		if (params.containsKey("cancel")) {
			return back.cancelled();
		}
		String oid = params.get("oid");
		TestEntraUser user = (oid != null) ? directory.user(oid) : directory.signedIn();
		if (oid != null && user == null) {
			return page(EntraErrors.userNotFound(oid, directory));
		}
		if (user != null) {
			return signIn(directory, app, user, params, back);
		}
		if ("none".equals(params.get("prompt"))) {
			return back.error(EntraErrors.loginRequired());
		}
		Map<String, String> original = Params.without(params, "oid", "cancel");
		return Reply.html(200, Html.accountChooser(request.path(), original, directory.users()));
	}

	private Reply signIn(TestEntraDirectory directory, TestEntraApp app, TestEntraUser user, Map<String, String> params,
			ReturnTo back) {
		if (!app.admits(user)) {
			return back.error(EntraErrors.notAssigned(app, user));
		}
		if (app.lacksConsent()) {
			return back.error(EntraErrors.consentRequired(app));
		}
		AuthorizationCodes.Grant grant = new AuthorizationCodes.Grant(app.clientId(), back.redirectUri(),
				params.get("nonce"), params.get("code_challenge"), params.get("code_challenge_method"), user,
				this.clock.now().plus(AuthorizationCodes.lifetime));
		Map<String, String> success = new LinkedHashMap<>();
		success.put("code", directory.codes().issue(grant));
		success.put("state", back.state());
		success.put("session_state", EntraIds.uuid());
		return back.with(success);
	}

	/**
	 * The error for a request Entra refuses after the redirect URI checked out, or
	 * {@code null}.
	 */
	private static EntraError invalidRequest(Map<String, String> params) {
		String responseType = params.get("response_type");
		if (responseType == null) {
			return EntraErrors.missingParameter("response_type");
		}
		if (!"code".equals(responseType)) {
			return EntraErrors.unsupportedResponseType(responseType);
		}
		return null;
	}

	private static Reply page(EntraError error) {
		return Reply.html(400, Html.errorPage(error));
	}

}
