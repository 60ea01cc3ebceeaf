package com.iotorq.lean.gateway.sso.endpoints;

import java.net.URI;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.http.HttpMethod;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.ServerWebExchange;

import com.iotorq.lean.gateway.web.ErrorCode;
import com.iotorq.lean.gateway.web.GatewayException;
import com.iotorq.lean.gateway.web.GatewayPaths;
import com.iotorq.lean.gateway.observability.RequestLogContext;

/**
 * Refuses state changes (any method but GET, HEAD and OPTIONS) on every path, the
 * gateway's own endpoints and every backend's alike, and WebSocket handshakes, when they
 * come from a page of another origin. All organisations share one site
 * ({@code *.iotorq-lean.com}): a page of a sibling organisation is "same-site", so the
 * browser sends this organisation's SameSite=Lax cookies (the gateway's session and the
 * backend's own) along with its requests. Backends' pages must be able to post with a
 * plain form and no token they cannot know, so instead of a CSRF token the browser's own
 * headers decide:
 * <ul>
 * <li>{@code Sec-Fetch-Site} other than {@code same-origin} or {@code none} (i.e.
 * {@code same-site}, {@code cross-site}) is refused;</li>
 * <li>an {@code Origin} other than this organisation's own ({@code scheme://host[:port]}
 * as the browser sees it: behind a trusted ingress, from its
 * {@code X-Forwarded-Proto/Host/Port}) is refused. {@code Origin: null} (a page whose
 * Referrer-Policy hides its origin) passes only when {@code Sec-Fetch-Site: same-origin}
 * vouches for it;</li>
 * <li>a request with neither header passes: API clients send neither, and browsers
 * without them are left to the SameSite=Lax cookie.</li>
 * </ul>
 */
public final class CrossSiteRequestGuard {

	private static final Logger logger = LoggerFactory.getLogger(CrossSiteRequestGuard.class);

	private static final Set<HttpMethod> SAFE = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);

	/**
	 * The pipeline's cross-site step.
	 * @throws GatewayException (403) when a state change or WebSocket handshake comes
	 * from another site's page
	 */
	public void check(ServerWebExchange exchange) {
		ServerHttpRequest request = exchange.getRequest();
		if (isGuarded(request) && isCrossSite(request)) {
			RequestLogContext.log(exchange, () -> logger.warn("Refused a cross-site {} {}", request.getMethod(),
					GatewayPaths.loggable(request.getPath().value())));
			throw new GatewayException(ErrorCode.FORBIDDEN, "This request came from another site, so it was refused.",
					null);
		}
	}

	private static boolean isGuarded(ServerHttpRequest request) {
		return !SAFE.contains(request.getMethod()) || "websocket".equalsIgnoreCase(request.getHeaders().getUpgrade());
	}

	static boolean isCrossSite(ServerHttpRequest request) {
		String fetchSite = request.getHeaders().getFirst("Sec-Fetch-Site");
		// same-origin: a page of this host; none: typed, bookmarked or a non-browser
		// client
		if (fetchSite != null && !("same-origin".equals(fetchSite) || "none".equals(fetchSite))) {
			return true;
		}
		String origin = request.getHeaders().getOrigin();
		if (origin == null) {
			return false;
		}
		if ("null".equals(origin)) {
			return !"same-origin".equals(fetchSite);
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

}
