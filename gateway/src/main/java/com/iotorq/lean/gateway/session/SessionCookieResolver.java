package com.iotorq.lean.gateway.session;

import java.util.List;

import org.springframework.http.ResponseCookie;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.session.CookieWebSessionIdResolver;
import org.springframework.web.server.session.WebSessionIdResolver;

/**
 * The session cookie, named by the scheme the browser used (the request's scheme, which a
 * trusted ingress's {@code X-Forwarded-Proto} sets): over https
 * {@code __Host-LEAN_SESSION}, over plain http (the local try-out) {@code LEAN_SESSION}.
 * Either is host-only (no Domain), HttpOnly, SameSite=Lax and {@code Path=/}; the https
 * one is also Secure.
 * <p>
 * Why the prefix: all organisations share one site, and a page of a sibling subdomain (or
 * any plain-http answer under the base domain) can set a cookie for the whole domain.
 * Browsers accept a {@code __Host-} cookie only from a secure origin, for its own host,
 * without Domain, so nobody but the gateway on this host can plant it. A request over
 * https therefore reads only the prefixed name: a plain {@code LEAN_SESSION} there may
 * have been planted, and is ignored. (<a href=
 * "https://datatracker.ietf.org/doc/html/draft-ietf-httpbis-rfc6265bis#name-the-__host-prefix">RFC
 * 6265bis, the __Host- prefix</a>)
 */
public final class SessionCookieResolver implements WebSessionIdResolver {

	/**
	 * Browsers accept a cookie so named only when Secure, {@code Path=/} and without
	 * Domain.
	 */
	public static final String HOST_PREFIX = "__Host-";

	private final CookieWebSessionIdResolver plain;

	private final CookieWebSessionIdResolver secure;

	/**
	 * @param name the session cookie's name over http ({@code lean.session.cookie-name});
	 * over https it is this with {@link #HOST_PREFIX}
	 */
	public SessionCookieResolver(String name) {
		this.plain = resolver(name, false);
		this.secure = resolver(HOST_PREFIX + name, true);
	}

	/**
	 * Both names of the session cookie ({@code __Host-LEAN_SESSION},
	 * {@code LEAN_SESSION}): what must never leave the gateway, whichever scheme a
	 * request came with.
	 */
	public static List<String> names(String name) {
		return List.of(HOST_PREFIX + name, name);
	}

	private static CookieWebSessionIdResolver resolver(String name, boolean secure) {
		CookieWebSessionIdResolver resolver = new CookieWebSessionIdResolver();
		resolver.setCookieName(name);
		// the framework already sets Secure from the request's scheme; the prefix needs
		// it without fail
		resolver.addCookieInitializer(cookie -> secureIf(cookie.httpOnly(true).sameSite("Lax").path("/"), secure));
		return resolver;
	}

	private static ResponseCookie.ResponseCookieBuilder secureIf(ResponseCookie.ResponseCookieBuilder cookie,
			boolean secure) {
		return secure ? cookie.secure(true) : cookie;
	}

	private CookieWebSessionIdResolver forScheme(ServerWebExchange exchange) {
		return "https".equalsIgnoreCase(exchange.getRequest().getURI().getScheme()) ? this.secure : this.plain;
	}

	/**
	 * The first session cookie only: the framework looks each one up in the session
	 * store, so a request naming hundreds would cost hundreds of reads. A browser holds
	 * one {@code __Host-} cookie of a name per host (no Domain, {@code Path=/}).
	 */
	@Override
	public List<String> resolveSessionIds(ServerWebExchange exchange) {
		List<String> ids = forScheme(exchange).resolveSessionIds(exchange);
		return (ids.size() <= 1) ? ids : ids.subList(0, 1);
	}

	@Override
	public void setSessionId(ServerWebExchange exchange, String sessionId) {
		forScheme(exchange).setSessionId(exchange, sessionId);
	}

	@Override
	public void expireSession(ServerWebExchange exchange) {
		forScheme(exchange).expireSession(exchange);
	}

}
