package com.iotorq.lean.gateway.test.entra;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code /{tid}/oauth2/v2.0/logout}: redirects to {@code post_logout_redirect_uri} (with
 * {@code state}, if sent) or shows "You signed out". The request is recorded like every
 * other, so tests can assert on {@code id_token_hint}. It does not end a
 * {@link TestEntra#signInAs} session.
 */
final class LogoutEndpoint {

	Reply handle(TestEntra.Recorded request) {
		String target = request.param("post_logout_redirect_uri");
		if (target == null) {
			return Reply.html(200, Html.signedOut());
		}
		Map<String, String> params = new LinkedHashMap<>();
		params.put("state", request.param("state"));
		return Reply.redirect(Urls.withParams(target, params));
	}

}
