package com.iotorq.lean.gateway.sso.pages;

import java.net.URI;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilterChain;
import org.springframework.web.util.UriComponentsBuilder;

import com.iotorq.lean.gateway.sso.oidc.NextPath;
import com.iotorq.lean.gateway.tenant.SsoSettings;
import com.iotorq.lean.gateway.tenant.Tenant;
import com.iotorq.lean.gateway.tenant.TenantAttributes;
import com.iotorq.lean.gateway.web.ClientExpectations;
import com.iotorq.lean.gateway.web.ErrorCode;
import com.iotorq.lean.gateway.web.GatewayException;
import com.iotorq.lean.gateway.web.GatewayPaths;
import com.iotorq.lean.gateway.web.Page;

/**
 * The sign-in chooser of organisations in SSO mode OPTIONAL: "Sign in with Microsoft" or
 * the backend's own password login.
 * <ul>
 * <li>{@code GET /oauth/choose?next=} shows it (where SSO is REQUIRED it goes straight to
 * Microsoft);</li>
 * <li>a browser that is not signed in and asks for the backend's password login page
 * ({@code lean.sso.chooser.password-login-path}) gets the chooser instead, so the
 * organisation's people see the single sign-on option where they used to type a
 * password;</li>
 * <li>{@code POST /oauth/choose} with "password" lets the next request for that page
 * through to the backend, once (a session mark), so a later visit offers the choice
 * again.</li>
 * </ul>
 * Anonymous requests to every other path are forwarded as before: OPTIONAL means the
 * backend's own login still works. The pipeline's session step tells who is signed in.
 */
public final class SignInChooser {

	/**
	 * Session attribute: the person chose the password login; consumed by the next
	 * request for it.
	 */
	static final String PASSWORD_CHOSEN = SignInChooser.class.getName() + ".password";

	private final SignInChooserProperties properties;

	public SignInChooser(SignInChooserProperties properties) {
		this.properties = properties;
	}

	/**
	 * {@code /oauth/choose}, one of the gateway's endpoints
	 * ({@link com.iotorq.lean.gateway.sso.GatewayEndpoints}).
	 */
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		Tenant tenant = TenantAttributes.tenant(exchange).orElse(null);
		String path = exchange.getRequest().getPath().pathWithinApplication().value();
		if (tenant == null || !GatewayPaths.CHOOSER.equals(path)) {
			return chain.filter(exchange);
		}
		if (!tenant.hasSso()) {
			return Mono.error(new GatewayException(ErrorCode.SSO_NOT_ENABLED));
		}
		HttpMethod method = exchange.getRequest().getMethod();
		if (HttpMethod.GET.equals(method)) {
			return show(exchange, tenant, NextPath.sanitize(exchange.getRequest().getQueryParams().getFirst("next")));
		}
		return HttpMethod.POST.equals(method) ? exchange.getFormData()
			.flatMap(
					form -> choose(exchange, tenant, NextPath.sanitize(form.getFirst("next")), form.getFirst("method")))
				: Mono.error(new GatewayException(ErrorCode.METHOD_NOT_ALLOWED));
	}

	/**
	 * Whether this request of a person who is not signed in is a browser asking an
	 * OPTIONAL organisation's backend for its password login page: the pipeline hands it
	 * to {@link #passwordLogin}.
	 */
	public boolean intercepts(ServerWebExchange exchange, Tenant tenant) {
		return isOptional(tenant) && HttpMethod.GET.equals(exchange.getRequest().getMethod())
				&& exchange.getRequest()
					.getPath()
					.pathWithinApplication()
					.value()
					.equals(this.properties.passwordLoginPath())
				&& !ClientExpectations.wantsJson(exchange.getRequest());
	}

	/**
	 * Shows the chooser instead of the password login page, unless the person has just
	 * chosen the password (a session mark, used up here).
	 * @return whether the chooser was shown; {@code false}: the request goes on to the
	 * backend
	 */
	public Mono<Boolean> passwordLogin(ServerWebExchange exchange, Tenant tenant) {
		return exchange.getSession().flatMap(session -> {
			if (session.getAttributes().remove(PASSWORD_CHOSEN) != null) {
				return Mono.just(false);
			}
			String next = exchange.getRequest().getQueryParams().getFirst(this.properties.nextParameter());
			return show(exchange, tenant, NextPath.sanitize(next)).thenReturn(true);
		});
	}

	private Mono<Void> show(ServerWebExchange exchange, Tenant tenant, String next) {
		String microsoft = UriComponentsBuilder.fromPath(GatewayPaths.LOGIN)
			.queryParam("next", next)
			.encode()
			.build()
			.toUriString();
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

	private Mono<Void> choose(ServerWebExchange exchange, Tenant tenant, String next, @Nullable String choice) {
		if (!isOptional(tenant) || !"password".equals(choice)) {
			return redirect(exchange,
					UriComponentsBuilder.fromPath(GatewayPaths.LOGIN)
						.queryParam("next", next)
						.encode()
						.build()
						.toUriString());
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
		return tenant.hasSso() && tenant.requiredSso().mode() == SsoSettings.Mode.OPTIONAL;
	}

	private static Mono<Void> redirect(ServerWebExchange exchange, String location) {
		exchange.getResponse().setStatusCode(HttpStatus.FOUND);
		exchange.getResponse().getHeaders().setLocation(URI.create(location));
		exchange.getResponse().getHeaders().setCacheControl("no-store");
		return exchange.getResponse().setComplete();
	}

}
