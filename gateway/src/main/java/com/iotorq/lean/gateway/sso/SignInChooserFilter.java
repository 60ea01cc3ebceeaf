package com.iotorq.lean.gateway.sso;

import java.net.URI;
import java.util.Map;

import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import org.springframework.web.util.UriComponentsBuilder;

import com.iotorq.lean.gateway.account.LeanUser;
import com.iotorq.lean.gateway.tenant.SsoSettings;
import com.iotorq.lean.gateway.tenant.Tenant;
import com.iotorq.lean.gateway.tenant.TenantAttributes;
import com.iotorq.lean.gateway.web.ClientExpectations;
import com.iotorq.lean.gateway.web.ErrorCode;
import com.iotorq.lean.gateway.web.GatewayException;
import com.iotorq.lean.gateway.web.GatewayPaths;
import com.iotorq.lean.gateway.web.ManagementRequests;
import com.iotorq.lean.gateway.web.Page;

/**
 * The sign-in chooser of organisations in SSO mode OPTIONAL: "Sign in with Microsoft" or the
 * backend's own password login.
 * <ul>
 * <li>{@code GET /oauth/choose?next=} shows it (where SSO is REQUIRED it goes straight to
 * Microsoft);</li>
 * <li>a browser that is not signed in and asks for the backend's password login page
 * ({@code lean.sso.chooser.password-login-path}) gets the chooser instead, so the organisation's
 * people see the single sign-on option where they used to type a password;</li>
 * <li>{@code POST /oauth/choose} with "password" lets the next request for that page through to
 * the backend, once (a session mark), so a later visit offers the choice again.</li>
 * </ul>
 * Anonymous requests to every other path are forwarded as before: OPTIONAL means the backend's
 * own login still works. Runs after Spring Security, whose context says who is signed in.
 */
public final class SignInChooserFilter implements WebFilter, Ordered {

	/** Session attribute: the person chose the password login; consumed by the next request for it. */
	static final String PASSWORD_CHOSEN = SignInChooserFilter.class.getName() + ".password";

	private final SignInChooserProperties properties;

	public SignInChooserFilter(SignInChooserProperties properties) {
		this.properties = properties;
	}

	@Override
	public String toString() {
		// named in a checkpoint on every request: not Object.toString's hash formatting
		return "SignInChooserFilter";
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		Tenant tenant = TenantAttributes.tenant(exchange).orElse(null);
		if (ManagementRequests.isManagement(exchange) || tenant == null) {
			return chain.filter(exchange);
		}
		String path = exchange.getRequest().getPath().pathWithinApplication().value();
		HttpMethod method = exchange.getRequest().getMethod();
		if (GatewayPaths.CHOOSER.equals(path)) {
			if (!tenant.hasSso()) {
				return Mono.error(new GatewayException(ErrorCode.SSO_NOT_ENABLED));
			}
			if (HttpMethod.GET.equals(method)) {
				return show(exchange, tenant, NextPath.sanitize(exchange.getRequest().getQueryParams().getFirst("next")));
			}
			return HttpMethod.POST.equals(method) ? exchange.getFormData().flatMap(form -> choose(exchange, tenant,
					NextPath.sanitize(form.getFirst("next")), form.getFirst("method")))
					: Mono.error(new GatewayException(ErrorCode.METHOD_NOT_ALLOWED));
		}
		if (!isOptional(tenant) || !HttpMethod.GET.equals(method) || !path.equals(this.properties.passwordLoginPath())
				|| ClientExpectations.wantsJson(exchange.getRequest())) {
			return chain.filter(exchange);
		}
		return ReactiveSecurityContextHolder.getContext()
			.map(context -> context.getAuthentication() != null
					&& context.getAuthentication().getPrincipal() instanceof LeanUser user && user.tenantSlug().equals(tenant.slug()))
			.defaultIfEmpty(false)
			.flatMap(signedIn -> signedIn ? chain.filter(exchange) : exchange.getSession().flatMap(session -> {
				if (session.getAttributes().remove(PASSWORD_CHOSEN) != null) {
					return chain.filter(exchange);
				}
				String next = exchange.getRequest().getQueryParams().getFirst(this.properties.nextParameter());
				return show(exchange, tenant, NextPath.sanitize(next));
			}));
	}

	private Mono<Void> show(ServerWebExchange exchange, Tenant tenant, String next) {
		String microsoft = UriComponentsBuilder.fromPath(GatewayPaths.LOGIN).queryParam("next", next).encode().build().toUriString();
		if (!isOptional(tenant)) {
			return redirect(exchange, microsoft);
		}
		return Page.titled("Sign in to " + tenant.displayName())
			.paragraph("Choose how to sign in to ioTORQ LEAN.")
			.button("Sign in with Microsoft", microsoft)
			.paragraph("If your organisation has not moved you to your Microsoft work account yet:")
			.postButton("Sign in with your ioTORQ LEAN password", GatewayPaths.CHOOSER,
					Map.of("method", "password", "next", next))
			.writeTo(exchange);
	}

	private Mono<Void> choose(ServerWebExchange exchange, Tenant tenant, String next, String choice) {
		if (!isOptional(tenant) || !"password".equals(choice)) {
			return redirect(exchange,
					UriComponentsBuilder.fromPath(GatewayPaths.LOGIN).queryParam("next", next).encode().build().toUriString());
		}
		String passwordLogin = UriComponentsBuilder.fromPath(this.properties.passwordLoginPath())
			.queryParam(this.properties.nextParameter(), next)
			.encode()
			.build()
			.toUriString();
		return exchange.getSession()
			.doOnNext(session -> session.getAttributes().put(PASSWORD_CHOSEN, Boolean.TRUE))
			.then(redirect(exchange, passwordLogin));
	}

	private static boolean isOptional(Tenant tenant) {
		return tenant.hasSso() && tenant.sso().mode() == SsoSettings.Mode.OPTIONAL;
	}

	private static Mono<Void> redirect(ServerWebExchange exchange, String location) {
		exchange.getResponse().setStatusCode(HttpStatus.FOUND);
		exchange.getResponse().getHeaders().setLocation(URI.create(location));
		exchange.getResponse().getHeaders().setCacheControl("no-store");
		return exchange.getResponse().setComplete();
	}

	@Override
	public int getOrder() {
		return -50; // after Spring Security (-100): its context tells who is signed in
	}

}
