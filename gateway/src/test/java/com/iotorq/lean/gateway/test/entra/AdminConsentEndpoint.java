package com.iotorq.lean.gateway.test.entra;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code /{tid}/v2.0/adminconsent}: an administrator grants consent for the whole
 * directory. Client id and redirect URI errors show a page; otherwise consent is granted
 * at once when {@link TestEntra#signInAs} holds a user of the directory, else an
 * Accept/Cancel page posts {@code consent=accept|cancel} back here.
 */
final class AdminConsentEndpoint {

	Reply handle(TestEntra.Recorded request, TestEntraDirectory directory) {
		Map<String, String> params = Params.of(request);
		String clientId = params.get("client_id");
		TestEntraApp app = directory.app(clientId);
		if (app == null) {
			return page((clientId == null) ? EntraErrors.missingParameter("client_id")
					: EntraErrors.appNotFound(clientId, directory));
		}
		String redirectUri = params.getOrDefault("redirect_uri", app.defaultRedirectUri());
		if (redirectUri == null || !app.registered(redirectUri)) {
			return page(EntraErrors.redirectUriMismatch(redirectUri, clientId));
		}
		ReturnTo back = new ReturnTo(directory.authority(), redirectUri, params.get("state"));
		String consent = params.get("consent");
		if ("cancel".equals(consent)) {
			return back.cancelled();
		}
		if ("accept".equals(consent) || directory.signedIn() != null) {
			return grant(directory, app, params, back);
		}
		return Reply.html(200, Html.adminConsent(request.path(), Params.without(params, "consent"), app));
	}

	private static Reply grant(TestEntraDirectory directory, TestEntraApp app, Map<String, String> params,
			ReturnTo back) {
		app.grantAdminConsent();
		Map<String, String> granted = new LinkedHashMap<>();
		granted.put("admin_consent", "True");
		granted.put("tenant", directory.tid());
		granted.put("scope", params.get("scope"));
		granted.put("state", back.state());
		return back.with(granted);
	}

	private static Reply page(EntraError error) {
		return Reply.html(400, Html.errorPage(error));
	}

}
