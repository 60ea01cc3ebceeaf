package com.iotorq.lean.gateway.web;

import java.util.List;
import java.util.Map;

import org.springframework.http.HttpMethod;

/**
 * Paths the gateway answers itself. Security configuration, filters and tests refer to
 * these constants; the callback paths are the ones the help article tells Entra
 * administrators to register, so they never change.
 */
public final class GatewayPaths {

	/** Starts sign-in; takes {@code next}, a same-origin path to return to. */
	public static final String LOGIN = "/oauth/login";

	/** The redirect URI registered in the organisation's app registration. */
	public static final String CALLBACK = "/oauth/complete/";

	/**
	 * The same callback without the trailing slash, which the help article also mentions.
	 */
	public static final String CALLBACK_WITHOUT_SLASH = "/oauth/complete";

	/** Ends the session ({@code POST}). */
	public static final String LOGOUT = "/oauth/logout";

	/** Sends an Entra administrator to grant consent for the whole organisation. */
	public static final String ADMIN_CONSENT = "/oauth/admin-consent";

	/**
	 * The sign-in chooser of organisations in SSO mode OPTIONAL: Microsoft or the
	 * backend's own password login ({@code GET} shows it, {@code POST} records the
	 * choice).
	 */
	public static final String CHOOSER = "/oauth/choose";

	/** Every path under the gateway's own sign-in namespace. */
	public static final String OAUTH_ALL = "/oauth/**";

	/**
	 * The sign-in endpoints that need no session, with the methods the gateway answers
	 * each with (the admin-consent answer arrives at the callback). Any other method on
	 * these paths gets 405 from the gateway and never reaches a backend. Other paths
	 * under {@code /oauth/} are not the gateway's: like any path, they need a session
	 * where the organisation requires sign-in.
	 */
	public static final Map<String, List<HttpMethod>> SIGN_IN_ENDPOINTS = Map.of(LOGIN, List.of(HttpMethod.GET),
			CALLBACK, List.of(HttpMethod.GET), CALLBACK_WITHOUT_SLASH, List.of(HttpMethod.GET), LOGOUT,
			List.of(HttpMethod.GET, HttpMethod.POST), ADMIN_CONSENT, List.of(HttpMethod.GET), CHOOSER,
			List.of(HttpMethod.GET, HttpMethod.POST));

	/**
	 * The gateway's own account pages: public (no session needed) and never forwarded to
	 * a backend, whatever the organisation's routes say.
	 */
	public static final String ACCOUNT_ALL = "/account/**";

	/**
	 * {@code GET}: the activation link from the mail, shows a confirmation; {@code POST}:
	 * activates.
	 */
	public static final String ACCOUNT_ACTIVATE = "/account/activate";

	/** {@code POST}: sends the activation mail again (rate-limited per account). */
	public static final String ACCOUNT_RESEND_ACTIVATION = "/account/resend-activation";

	/**
	 * The SCIM 2.0 base of an organisation, on its own host: Entra's provisioning service
	 * creates, updates and deactivates its accounts here with the organisation's SCIM
	 * token. Answered by the gateway (never a backend), with no session and no sign-in.
	 */
	public static final String SCIM = "/scim/v2";

	/**
	 * The self-service SSO setup page ({@code GET}; its forms {@code POST} here too). A
	 * one-time link opens it as {@code /oauth/setup/<token>}, which is never logged
	 * ({@link #loggable}).
	 */
	public static final String SETUP = "/oauth/setup";

	/** The setup session's draft certificate, to upload to the app registration. */
	public static final String SETUP_CERTIFICATE = SETUP + "/certificate.cer";

	/** The public keys of {@code X-Lean-Identity}, on the management port. */
	public static final String JWKS = "/.well-known/lean-gateway/jwks.json";

	private GatewayPaths() {
	}

	/** Whether the path (as the firewall left it) is the SCIM base or under it. */
	public static boolean isScim(String path) {
		return path.equals(SCIM) || path.startsWith(SCIM + "/");
	}

	/**
	 * A path as it may be logged: the token of a setup link
	 * ({@code /oauth/setup/<token>}) is a credential and is replaced.
	 */
	public static String loggable(String path) {
		return (path.startsWith(SETUP + "/") && !path.equals(SETUP_CERTIFICATE)) ? SETUP + "/{token}" : path;
	}

}
