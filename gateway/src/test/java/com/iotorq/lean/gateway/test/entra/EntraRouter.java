package com.iotorq.lean.gateway.test.entra;

import java.net.URI;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Maps {@code /{tid}/<endpoint>}, {@code /oidc/userinfo} and the test-only
 * {@code /_control/...} to their handlers. An unknown {@code tid} gets AADSTS90002: a
 * page on browser endpoints, 400 JSON on the others; an unknown path gets 404.
 */
final class EntraRouter {

	private final Function<String, TestEntraDirectory> directories;

	private final Supplier<URI> authority;

	private final DiscoveryEndpoints discovery;

	private final AuthorizeEndpoint authorize;

	private final TokenEndpoint token;

	private final AdminConsentEndpoint adminConsent = new AdminConsentEndpoint();

	private final LogoutEndpoint logout = new LogoutEndpoint();

	private final UserinfoEndpoint userinfo;

	private final AdminCenter adminCenter;

	EntraRouter(Function<String, TestEntraDirectory> directories, Function<String, TestEntra.Directory> directoryOrNew,
			Supplier<URI> authority, EntraKeys keys, IdTokens idTokens, AccessTokens accessTokens, EntraClock clock) {
		this.directories = directories;
		this.authority = authority;
		this.discovery = new DiscoveryEndpoints(keys);
		this.authorize = new AuthorizeEndpoint(clock);
		this.token = new TokenEndpoint(idTokens, accessTokens, clock);
		this.userinfo = new UserinfoEndpoint(accessTokens, clock, authority);
		this.adminCenter = new AdminCenter(tid -> (TestEntraDirectory) directoryOrNew.apply(tid));
	}

	Reply route(TestEntra.Recorded request) {
		String path = request.path();
		if (path.equals(AdminCenter.PATH)) {
			return this.adminCenter.handle(request);
		}
		if (path.equals("/oidc/userinfo")) {
			return this.userinfo.handle(request);
		}
		if (path.startsWith(ControlEndpoints.PREFIX)) {
			return ControlEndpoints.handle(request, this.directories);
		}
		int slash = path.indexOf('/', 1);
		Endpoint endpoint = (slash > 1) ? Endpoint.of(path.substring(slash)) : null;
		if (endpoint == null) {
			return Reply.notFound();
		}
		String tid = path.substring(1, slash);
		TestEntraDirectory directory = this.directories.apply(tid);
		if (directory == null) {
			return unknownTenant(tid, endpoint);
		}
		return dispatch(endpoint, request, directory);
	}

	private Reply dispatch(Endpoint endpoint, TestEntra.Recorded request, TestEntraDirectory directory) {
		switch (endpoint) {
			case DISCOVERY:
				return this.discovery.configuration(directory);
			case KEYS:
				return this.discovery.keys(directory);
			case AUTHORIZE:
				return this.authorize.handle(request, directory);
			case TOKEN:
				return this.token.handle(request, directory);
			case ADMIN_CONSENT:
				return this.adminConsent.handle(request, directory);
			case LOGOUT:
				return this.logout.handle(request);
			default:
				throw new IllegalStateException("unrouted " + endpoint);
		}
	}

	private Reply unknownTenant(String tid, Endpoint endpoint) {
		EntraError error = EntraErrors.tenantNotFound(tid);
		return endpoint.browser ? Reply.html(400, Html.errorPage(error))
				: Reply.json(400, error.json(this.authority.get()));
	}

	/**
	 * The per-directory endpoints, by path after {@code /{tid}}; browser ones answer
	 * errors with a page.
	 */
	private enum Endpoint {

		DISCOVERY("/v2.0/.well-known/openid-configuration", false),

		KEYS("/discovery/v2.0/keys", false),

		AUTHORIZE("/oauth2/v2.0/authorize", true),

		TOKEN("/oauth2/v2.0/token", false),

		ADMIN_CONSENT("/v2.0/adminconsent", true),

		LOGOUT("/oauth2/v2.0/logout", true);

		private final String path;

		private final boolean browser;

		Endpoint(String path, boolean browser) {
			this.path = path;
			this.browser = browser;
		}

		static Endpoint of(String path) {
			for (Endpoint endpoint : values()) {
				if (endpoint.path.equals(path)) {
					return endpoint;
				}
			}
			return null;
		}

	}

}
