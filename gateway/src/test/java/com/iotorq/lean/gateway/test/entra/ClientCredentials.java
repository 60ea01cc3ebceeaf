package com.iotorq.lean.gateway.test.entra;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The client authentication of a token request: {@code client_secret_basic} (an
 * {@code Authorization: Basic} header of the form-encoded id and secret, RFC 6749 §2.3.1)
 * if present, else {@code client_secret_post}, or a client assertion
 * ({@code private_key_jwt}, checked by {@link ClientAssertionCheck}).
 *
 * @param clientId the client id, or {@code null}
 * @param secret the client secret, or {@code null}
 * @param assertionType {@code client_assertion_type}, or {@code null}
 * @param assertion {@code client_assertion}, or {@code null}
 */
record ClientCredentials(String clientId, String secret, String assertionType, String assertion) {

	ClientCredentials(String clientId, String secret) {
		this(clientId, secret, null, null);
	}

	static ClientCredentials from(TestEntra.Recorded request) {
		String authorization = request.header("Authorization");
		if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
			return basic(authorization.substring(6).trim());
		}
		return new ClientCredentials(request.form("client_id"), request.form("client_secret"),
				request.form("client_assertion_type"), request.form("client_assertion"));
	}

	/** Whether the client authenticates with an assertion rather than a secret. */
	boolean asserted() {
		return this.secret == null && (this.assertion != null || this.assertionType != null);
	}

	/**
	 * The error Entra gives these credentials for this app, or {@code null} if they
	 * authenticate it.
	 */
	EntraError check(TestEntraApp app) {
		if (this.secret == null) {
			return EntraErrors.secretMissing();
		}
		if (!app.secretMatches(this.secret)) {
			return EntraErrors.invalidSecret(app.clientId());
		}
		return app.secretExpired() ? EntraErrors.secretExpired(app.clientId()) : null;
	}

	private static ClientCredentials basic(String encoded) {
		try {
			String pair = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
			int colon = pair.indexOf(':');
			if (colon < 0) {
				return new ClientCredentials(null, null);
			}
			return new ClientCredentials(decode(pair.substring(0, colon)), decode(pair.substring(colon + 1)));
		}
		catch (IllegalArgumentException ex) {
			return new ClientCredentials(null, null);
		}
	}

	private static String decode(String value) {
		return URLDecoder.decode(value, StandardCharsets.UTF_8);
	}

}
