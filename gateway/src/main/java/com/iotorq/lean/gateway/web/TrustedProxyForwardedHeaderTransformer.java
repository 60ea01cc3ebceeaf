package com.iotorq.lean.gateway.web;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.adapter.ForwardedHeaderTransformer;
import org.springframework.web.util.ForwardedHeaderUtils;

/**
 * What the gateway believes of forwarded headers. From a trusted proxy (the ingress) only
 * {@code X-Forwarded-Proto}, {@code -Host} and {@code -Port} (the scheme and host
 * browsers used, hence redirect URIs) and {@code X-Forwarded-For} (the client's address,
 * see {@link ClientAddress}), in exactly these spellings. Every header of the forwarded
 * family is removed from every request, trusted or not, and never changes the path:
 * {@code Forwarded} and {@code X-Forwarded-*} in any case and with {@code _} for
 * {@code -} (WSGI and CGI backends read {@code X_Forwarded_Prefix} as
 * {@code X-Forwarded-Prefix}), {@code X-Real-IP}, {@code X-Original-URL} and
 * {@code X-Rewrite-URL}. The backends see only the forwarded headers the gateway writes
 * itself. A believed header that cannot be read gets the gateway's 400
 * ({@link MalformedForwardedHeaders}). Framework's own transformer trusts every client
 * and turns {@code X-Forwarded-Prefix} into a context path.
 */
public final class TrustedProxyForwardedHeaderTransformer extends ForwardedHeaderTransformer {

	/**
	 * Lower case, {@code -} for {@code _}: every header whose name starts so is removed.
	 */
	private static final String FORWARDED_PREFIX = "x-forwarded-";

	/** Lower case, {@code -} for {@code _}: removed too. */
	private static final List<String> FORWARDED_NAMES = List.of("forwarded", "x-real-ip", "x-original-url",
			"x-rewrite-url");

	/** The only ones whose values are used, and only from a trusted proxy. */
	private static final List<String> BELIEVED_ORIGIN_HEADERS = List.of("X-Forwarded-Proto", "X-Forwarded-Host",
			"X-Forwarded-Port");

	private static final Pattern SCHEME = Pattern.compile("(?i)https?");

	/** A host name, an IPv4 or a bracketed IPv6 address, with an optional port. */
	private static final Pattern HOST = Pattern.compile("([A-Za-z0-9.-]+|\\[[0-9A-Fa-f:.]+\\])(:[0-9]{1,5})?");

	private static final Pattern PORT = Pattern.compile("[0-9]{1,5}");

	private final Pattern trustedProxies;

	/**
	 * @param trustedProxies regular expression matched against the peer's IP address
	 */
	public TrustedProxyForwardedHeaderTransformer(Pattern trustedProxies) {
		this.trustedProxies = trustedProxies;
	}

	@Override
	public ServerHttpRequest apply(ServerHttpRequest request) {
		List<String> forwarded = forwardedHeaderNames(request.getHeaders());
		if (forwarded == null) {
			return request;
		}
		HttpHeaders headers = request.getHeaders();
		InetSocketAddress peer = request.getRemoteAddress();
		URI uri = null;
		InetSocketAddress client = null;
		boolean malformed = false;
		if (peer != null && isTrusted(peer)) {
			HttpHeaders origin = new HttpHeaders();
			for (String name : BELIEVED_ORIGIN_HEADERS) {
				List<String> values = headers.get(name);
				if (values != null) {
					origin.addAll(name, values);
				}
			}
			if (!origin.isEmpty()) {
				uri = adapt(request.getURI(), origin);
				malformed = (uri == null);
			}
			List<String> forwardedFor = headers.get("X-Forwarded-For");
			if (forwardedFor != null && !malformed) {
				client = ClientAddress.fromForwardedFor(forwardedFor, peer, this::isTrusted);
			}
		}
		// read first, then removed: the builder's headers may share the request's
		ServerHttpRequest.Builder builder = request.mutate().headers(mutable -> forwarded.forEach(mutable::remove));
		if (uri != null) {
			builder.uri(uri);
		}
		if (client != null) {
			builder.remoteAddress(client);
		}
		return malformed ? MalformedForwardedHeaders.mark(builder.build()) : builder.build();
	}

	@Override
	protected boolean hasForwardedHeaders(ServerHttpRequest request) {
		return forwardedHeaderNames(request.getHeaders()) != null;
	}

	/**
	 * The names of the forwarded family among the headers, in one pass; {@code null} for
	 * none.
	 */
	private static @Nullable List<String> forwardedHeaderNames(HttpHeaders headers) {
		List<String> found = null;
		for (String name : headers.headerNames()) {
			if (isForwardedHeader(name)) {
				if (found == null) {
					found = new ArrayList<>(4);
				}
				found.add(name);
			}
		}
		return found;
	}

	/**
	 * Whether a header belongs to the forwarded family in any spelling a backend could
	 * read as such: case-insensitive, and {@code _} read as {@code -}, as in
	 * {@code LeanHeaders.isReserved}.
	 */
	static boolean isForwardedHeader(String name) {
		if (name.length() < FORWARDED_NAMES.get(0).length()) {
			return false; // the shortest: "forwarded" and "x-real-ip"
		}
		if (matches(name, FORWARDED_PREFIX, FORWARDED_PREFIX.length())) {
			return true;
		}
		for (String forwarded : FORWARDED_NAMES) {
			if (name.length() == forwarded.length() && matches(name, forwarded, forwarded.length())) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Whether the first {@code length} characters of {@code name}, normalised, are
	 * {@code expected}'s.
	 */
	private static boolean matches(String name, String expected, int length) {
		if (name.length() < length) {
			return false;
		}
		for (int i = 0; i < length; i++) {
			char c = name.charAt(i);
			char normalised = (c == '_') ? '-' : Character.toLowerCase(c);
			if (normalised != expected.charAt(i)) {
				return false;
			}
		}
		return true;
	}

	/**
	 * The URI the browser used, or {@code null} when a believed header cannot be read.
	 */
	private static @Nullable URI adapt(URI uri, HttpHeaders origin) {
		if (!readable(origin.getFirst("X-Forwarded-Proto"), SCHEME)
				|| !readable(origin.getFirst("X-Forwarded-Host"), HOST)
				|| !readable(origin.getFirst("X-Forwarded-Port"), PORT)) {
			return null;
		}
		try {
			return new URI(ForwardedHeaderUtils.adaptFromForwardedHeaders(uri, origin).build().toUriString());
		}
		catch (URISyntaxException | RuntimeException ex) {
			return null;
		}
	}

	/** Absent, or its first comma-separated value (the one framework reads) matches. */
	private static boolean readable(@Nullable String value, Pattern pattern) {
		if (value == null) {
			return true;
		}
		int comma = value.indexOf(',');
		String first = ((comma >= 0) ? value.substring(0, comma) : value).strip();
		return pattern.matcher(first).matches();
	}

	private boolean isTrusted(InetSocketAddress peer) {
		return peer.getAddress() != null && isTrusted(peer.getAddress().getHostAddress());
	}

	private boolean isTrusted(String address) {
		return this.trustedProxies.matcher(address).matches();
	}

}
