package com.iotorq.lean.gateway.sso;

import java.net.URI;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

import com.iotorq.lean.gateway.web.ErrorCode;
import com.iotorq.lean.gateway.web.GatewayException;
import com.iotorq.lean.gateway.web.ManagementRequests;
import com.iotorq.lean.gateway.observability.RequestLogContext;

/**
 * Refuses cross-site state changes of the gateway's own endpoints (sign-out, account activation), and
 * WebSocket handshakes from another site to any path: a conversation opened by another site's page
 * would run with the user's session (another organisation's subdomain is the same site, so the
 * SameSite=Lax cookie goes along). Backends' pages must be able to sign out with a plain form and no
 * token they cannot know, so instead of a CSRF token the browser's own {@code Sec-Fetch-Site} and
 * {@code Origin} headers decide, with the SameSite=Lax session cookie as a second line.
 */
public final class CrossSiteRequestGuard implements WebFilter, Ordered {

	private static final Logger logger = LoggerFactory.getLogger(CrossSiteRequestGuard.class);

	private static final Set<HttpMethod> SAFE = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);

	@Override
	public String toString() {
		// named in a checkpoint on every request: not Object.toString's hash formatting
		return "CrossSiteRequestGuard";
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		ServerHttpRequest request = exchange.getRequest();
		if (ManagementRequests.isManagement(exchange) || !isGuarded(request)) {
			return chain.filter(exchange);
		}
		if (isCrossSite(request)) {
			RequestLogContext.log(exchange,
					() -> logger.warn("Refused a cross-site {} {}", request.getMethod(), request.getPath().value()));
			return Mono.error(new GatewayException(ErrorCode.FORBIDDEN,
					"This request came from another site, so it was refused.", null));
		}
		return chain.filter(exchange);
	}

	private static boolean isGuarded(ServerHttpRequest request) {
		if ("websocket".equalsIgnoreCase(request.getHeaders().getUpgrade())) {
			return true;
		}
		return !SAFE.contains(request.getMethod()) && isGatewayOwned(request.getPath().pathWithinApplication().value());
	}

	private static boolean isGatewayOwned(String path) {
		return path.startsWith("/oauth/") || path.startsWith("/account/");
	}

	static boolean isCrossSite(ServerHttpRequest request) {
		String fetchSite = request.getHeaders().getFirst("Sec-Fetch-Site");
		if (fetchSite != null) {
			// same-origin: a page of this host; none: typed, bookmarked or a non-browser client
			return !("same-origin".equals(fetchSite) || "none".equals(fetchSite));
		}
		String origin = request.getHeaders().getOrigin();
		if (origin == null) {
			return false; // older browsers send neither; the SameSite=Lax cookie still protects
		}
		URI self = request.getURI();
		String own = self.getScheme() + "://" + self.getRawAuthority();
		return !origin.equalsIgnoreCase(own) && !origin.equalsIgnoreCase(withoutDefaultPort(self));
	}

	private static String withoutDefaultPort(URI uri) {
		boolean defaultPort = uri.getPort() == -1 || ("https".equals(uri.getScheme()) && uri.getPort() == 443)
				|| ("http".equals(uri.getScheme()) && uri.getPort() == 80);
		return uri.getScheme() + "://" + uri.getHost() + (defaultPort ? "" : ":" + uri.getPort());
	}

	@Override
	public int getOrder() {
		return -150; // after tenant resolution, before Spring Security
	}

}
