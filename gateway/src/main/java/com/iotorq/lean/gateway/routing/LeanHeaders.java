package com.iotorq.lean.gateway.routing;

import java.util.Locale;

/**
 * The identity headers the gateway sends to backends. Backends may trust them because the
 * gateway removes every inbound header in this namespace before adding its own.
 */
public final class LeanHeaders {

	public static final String TENANT = "X-Lean-Tenant";

	public static final String USER_ID = "X-Lean-User-Id";

	public static final String USER_EMAIL = "X-Lean-User-Email";

	public static final String USER_NAME = "X-Lean-User-Name";

	/** A short-lived ES256 JWT asserting all of the above. */
	public static final String IDENTITY = "X-Lean-Identity";

	private static final String NAMESPACE = "x-lean-";

	private LeanHeaders() {
	}

	/**
	 * Whether a header belongs to the gateway's namespace in any spelling a backend could
	 * read as such: case-insensitive, and with {@code _} for {@code -} since WSGI and CGI
	 * backends read {@code X_Lean_User} and {@code X-Lean-User} as the same variable.
	 */
	public static boolean isReserved(String headerName) {
		if (headerName.length() < NAMESPACE.length()) {
			return false;
		}
		String prefix = headerName.substring(0, NAMESPACE.length()).toLowerCase(Locale.ROOT).replace('_', '-');
		return prefix.equals(NAMESPACE);
	}

}
