package com.iotorq.lean.gateway.sso.login;

import java.util.List;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.authorization.ReactiveAuthorizationManager;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.server.authorization.AuthorizationContext;
import org.springframework.http.server.PathContainer;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

import com.iotorq.lean.gateway.account.LeanUser;
import com.iotorq.lean.gateway.config.BenchAblation;
import com.iotorq.lean.gateway.tenant.SsoSettings;
import com.iotorq.lean.gateway.tenant.Tenant;
import com.iotorq.lean.gateway.tenant.TenantAttributes;

/**
 * Who may pass to an organisation's backend: anyone where the gateway does not sign the
 * organisation's users in (its backend does its own login) or sign-in is optional; only a
 * user signed in to this organisation where it is required, except on the public paths
 * ({@code /favicon.ico}, {@code /robots.txt} by default). The others are sent to sign in
 * ({@link SignInEntryPoint}). The pipeline's access policy step, and the same rule for
 * Spring Security's chain on the gateway's own endpoints.
 */
public final class TenantAccessPolicy implements ReactiveAuthorizationManager<AuthorizationContext> {

	private final SignInEntryPoint entryPoint = new SignInEntryPoint();

	private final List<PathPattern> publicPaths;

	private final boolean on;

	/**
	 * @param publicPaths path patterns that never need a session
	 * ({@code lean.sso.public-paths})
	 */
	public TenantAccessPolicy(List<String> publicPaths, BenchAblation ablation) {
		this.publicPaths = publicPaths.stream().map(PathPatternParser.defaultInstance::parse).toList();
		// the benchmark's "session off" lets signed-in people's requests pass as
		// anonymous ones
		this.on = ablation.isOn(BenchAblation.Feature.SESSION);
	}

	/**
	 * The pipeline's access policy step.
	 * @param user the person signed in to this organisation ({@link SignedInSessions}),
	 * or {@code null}
	 * @return {@code null} when the request may pass, else the answer that sends the
	 * person to sign in
	 */
	public @Nullable Mono<Void> check(ServerWebExchange exchange, Tenant tenant, @Nullable LeanUser user) {
		return (!this.on || allows(tenant, user) || isPublic(exchange)) ? null
				: this.entryPoint.commence(exchange, null);
	}

	private boolean isPublic(ServerWebExchange exchange) {
		PathContainer path = exchange.getRequest().getPath().pathWithinApplication();
		for (PathPattern pattern : this.publicPaths) {
			if (pattern.matches(path)) {
				return true;
			}
		}
		return false;
	}

	static boolean allows(Tenant tenant, @Nullable LeanUser user) {
		if (!tenant.hasSso() || tenant.requiredSso().mode() == SsoSettings.Mode.OPTIONAL) {
			return true;
		}
		return user != null && user.tenantSlug().equals(tenant.slug());
	}

	@Override
	public Mono<AuthorizationResult> authorize(Mono<Authentication> authentication, AuthorizationContext context) {
		Tenant tenant = TenantAttributes.required(context.getExchange());
		return authentication.filter(auth -> auth.isAuthenticated() && auth.getPrincipal() instanceof LeanUser)
			.map(auth -> allows(tenant, (LeanUser) auth.getPrincipal()))
			.defaultIfEmpty(allows(tenant, null))
			.map(AuthorizationDecision::new);
	}

}
