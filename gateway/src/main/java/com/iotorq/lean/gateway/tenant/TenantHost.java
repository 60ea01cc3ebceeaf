package com.iotorq.lean.gateway.tenant;

import java.util.Locale;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * Reads the organisation's slug from a request host, e.g. {@code acme} from
 * {@code acme.iotorq-lean.com:8443}. Purely syntactic: it never looks a slug up, so
 * garbage hosts are answered without touching the database.
 */
public final class TenantHost {

	/**
	 * One DNS label, lower case, as RFC 1123 allows it (and as tenants are registered).
	 */
	public static final Pattern SLUG = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

	private static final int MAX_LABEL = 63;

	private final String baseDomain;

	private final String suffix;

	public TenantHost(String baseDomain) {
		this.baseDomain = baseDomain.toLowerCase(Locale.ROOT);
		this.suffix = "." + this.baseDomain;
	}

	/**
	 * Classifies a host (an optional {@code :port} is ignored; case does not matter).
	 * @param host the host the client addressed, may be {@code null}
	 * @return the outcome, never {@code null}
	 */
	public Result parse(@Nullable String host) {
		if (host == null || host.isEmpty() || host.length() > 253 + 6) {
			return Result.INVALID;
		}
		String name = stripPort(host);
		if (name == null || name.isEmpty()) {
			return Result.INVALID;
		}
		name = name.toLowerCase(Locale.ROOT);
		if (name.equals(this.baseDomain)) {
			return Result.NOT_A_TENANT;
		}
		if (!name.endsWith(this.suffix)) {
			return Result.INVALID;
		}
		String label = name.substring(0, name.length() - this.suffix.length());
		if (label.indexOf('.') >= 0) {
			// deeper names such as a.b.iotorq-lean.com are not organisations
			return isHostName(label) ? Result.NOT_A_TENANT : Result.INVALID;
		}
		return isSlug(label) ? Result.tenant(label) : Result.INVALID;
	}

	private static @Nullable String stripPort(String host) {
		if (host.startsWith("[")) {
			return null; // IPv6 literal: never an organisation
		}
		int colon = host.indexOf(':');
		if (colon < 0) {
			return host;
		}
		String port = host.substring(colon + 1);
		if (port.isEmpty() || port.length() > 5 || !port.chars().allMatch(c -> c >= '0' && c <= '9')) {
			return null;
		}
		return host.substring(0, colon);
	}

	private static boolean isHostName(String name) {
		for (String label : name.split("\\.", -1)) {
			if (!isSlug(label)) {
				return false;
			}
		}
		return true;
	}

	/**
	 * Whether the text matches {@link #SLUG}, checked by hand because it runs on every
	 * request (a regular expression costs a {@code Matcher} and a few hundred nanoseconds
	 * each time).
	 */
	static boolean isSlug(String text) {
		int length = text.length();
		if (length == 0 || length > MAX_LABEL || text.charAt(0) == '-' || text.charAt(length - 1) == '-') {
			return false;
		}
		for (int i = 0; i < length; i++) {
			char c = text.charAt(i);
			if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
				return false;
			}
		}
		return true;
	}

	/**
	 * @param kind what the host is
	 * @param slug the organisation's slug when {@code kind} is {@link Kind#TENANT}
	 */
	public record Result(Kind kind, @Nullable String slug) {

		static final Result INVALID = new Result(Kind.INVALID, null);

		static final Result NOT_A_TENANT = new Result(Kind.NOT_A_TENANT, null);

		static Result tenant(String slug) {
			return new Result(Kind.TENANT, slug);
		}

	}

	public enum Kind {

		/** One well-formed label under the base domain. */
		TENANT,
		/**
		 * A well-formed name that no organisation can own: the base domain or a deeper
		 * name.
		 */
		NOT_A_TENANT,
		/**
		 * Not a host name under the base domain at all: IP literals, garbage, other
		 * domains.
		 */
		INVALID

	}

}
