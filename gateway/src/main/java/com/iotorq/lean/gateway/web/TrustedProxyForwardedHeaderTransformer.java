package com.iotorq.lean.gateway.web;

import java.net.InetSocketAddress;
import java.util.regex.Pattern;

import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.adapter.ForwardedHeaderTransformer;

/**
 * Honours {@code Forwarded} and {@code X-Forwarded-*} only when the connection comes from a
 * trusted proxy (the ingress), and strips them otherwise. Framework's own transformer trusts
 * every client, which would let anyone choose the scheme and host the gateway believes it
 * serves, and so the redirect URI it sends to identity providers.
 */
public final class TrustedProxyForwardedHeaderTransformer extends ForwardedHeaderTransformer {

	private final Pattern trustedProxies;

	private final ForwardedHeaderTransformer stripping = new ForwardedHeaderTransformer();

	/** @param trustedProxies regular expression matched against the peer's IP address */
	public TrustedProxyForwardedHeaderTransformer(Pattern trustedProxies) {
		this.trustedProxies = trustedProxies;
		this.stripping.setRemoveOnly(true);
	}

	@Override
	public ServerHttpRequest apply(ServerHttpRequest request) {
		return isTrusted(request) ? super.apply(request) : this.stripping.apply(request);
	}

	private boolean isTrusted(ServerHttpRequest request) {
		InetSocketAddress peer = request.getRemoteAddress();
		return peer != null && peer.getAddress() != null
				&& this.trustedProxies.matcher(peer.getAddress().getHostAddress()).matches();
	}

}
