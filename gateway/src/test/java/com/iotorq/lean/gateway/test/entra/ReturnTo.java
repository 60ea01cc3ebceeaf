package com.iotorq.lean.gateway.test.entra;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The way back to the app after a browser request that passed the client and redirect-URI
 * checks: every outcome from here on is a 302 to the registered redirect URI, echoing
 * {@code state}.
 *
 * @param authority the imitation's authority, for {@code error_uri}
 * @param redirectUri the validated redirect URI
 * @param state the request's state, or {@code null}
 */
record ReturnTo(URI authority, String redirectUri, String state) {

	/**
	 * Back with {@code error}, {@code error_description}, {@code error_uri} and
	 * {@code state}.
	 */
	Reply error(EntraError error) {
		return Reply.redirect(Urls.withParams(this.redirectUri, error.redirectParams(this.authority, this.state)));
	}

	/**
	 * Back with Entra's answer to a user pressing Cancel: {@code access_denied}, subcode
	 * {@code cancel}.
	 */
	Reply cancelled() {
		EntraError declined = EntraErrors.declined();
		Map<String, String> params = new LinkedHashMap<>();
		params.put("error", declined.error());
		params.put("error_subcode", "cancel");
		params.putAll(Params.without(declined.redirectParams(this.authority, this.state), "error"));
		return Reply.redirect(Urls.withParams(this.redirectUri, params));
	}

	/** Back with these parameters (in this order; {@code null} values are left out). */
	Reply with(Map<String, String> params) {
		return Reply.redirect(Urls.withParams(this.redirectUri, params));
	}

}
