package com.iotorq.lean.gateway.web;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.regex.Pattern;

import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.adapter.ForwardedHeaderTransformer;
import org.springframework.web.util.ForwardedHeaderUtils;

/**
 * What the gateway believes of forwarded headers. From a trusted proxy (the ingress) only
 * {@code X-Forwarded-Proto}, {@code -Host} and {@code -Port} (the scheme and host browsers used,
 * hence redirect URIs) and {@code X-Forwarded-For} (the client's address, see
 * {@link ClientAddress}). {@code Forwarded}, {@code X-Forwarded-Prefix} and the rest of the family
 * are removed from every request, trusted or not, and never change the path: the path every
 * filter decides on is the path the backend receives, and the backends see only the forwarded
 * headers the gateway writes itself. Framework's own transformer trusts every client and turns
 * {@code X-Forwarded-Prefix} into a context path.
 */
public final class TrustedProxyForwardedHeaderTransformer extends ForwardedHeaderTransformer {

	/** Removed from every request before anything reads it. */
	private static final List<String> FORWARDED_HEADERS = List.of("Forwarded", "X-Forwarded-For", "X-Forwarded-Host",
			"X-Forwarded-Port", "X-Forwarded-Proto", "X-Forwarded-Prefix", "X-Forwarded-Ssl", "X-Forwarded-Server",
			"X-Forwarded-Uri");

	/** The only ones whose values are used, and only from a trusted proxy. */
	private static final List<String> BELIEVED_ORIGIN_HEADERS = List.of("X-Forwarded-Proto", "X-Forwarded-Host",
			"X-Forwarded-Port");

	private final Pattern trustedProxies;

	/** @param trustedProxies regular expression matched against the peer's IP address */
	public TrustedProxyForwardedHeaderTransformer(Pattern trustedProxies) {
		this.trustedProxies = trustedProxies;
	}

	@Override
	public ServerHttpRequest apply(ServerHttpRequest request) {
		if (!hasForwardedHeaders(request)) {
			return request;
		}
		HttpHeaders headers = request.getHeaders();
		ServerHttpRequest.Builder builder = request.mutate();
		InetSocketAddress peer = request.getRemoteAddress();
		if (isTrusted(peer)) {
			HttpHeaders origin = new HttpHeaders();
			for (String name : BELIEVED_ORIGIN_HEADERS) {
				List<String> values = headers.get(name);
				if (values != null) {
					origin.addAll(name, values);
				}
			}
			if (!origin.isEmpty()) {
				builder.uri(adapt(request.getURI(), origin));
			}
			List<String> forwardedFor = headers.get("X-Forwarded-For");
			if (forwardedFor != null) {
				builder.remoteAddress(ClientAddress.fromForwardedFor(forwardedFor, peer, this::isTrusted));
			}
		}
		builder.headers(mutable -> FORWARDED_HEADERS.forEach(mutable::remove));
		return builder.build();
	}

	@Override
	protected boolean hasForwardedHeaders(ServerHttpRequest request) {
		HttpHeaders headers = request.getHeaders();
		for (String name : FORWARDED_HEADERS) {
			if (headers.containsHeader(name)) {
				return true;
			}
		}
		return false;
	}

	private static URI adapt(URI uri, HttpHeaders origin) {
		String adapted = ForwardedHeaderUtils.adaptFromForwardedHeaders(uri, origin).build().toUriString();
		try {
			return new URI(adapted);
		}
		catch (URISyntaxException ex) {
			throw new IllegalStateException("Could not create URI object: " + ex.getMessage(), ex);
		}
	}

	private boolean isTrusted(InetSocketAddress peer) {
		return peer != null && peer.getAddress() != null && isTrusted(peer.getAddress().getHostAddress());
	}

	private boolean isTrusted(String address) {
		return this.trustedProxies.matcher(address).matches();
	}

}
