package com.iotorq.lean.gateway.activation;

import java.net.URI;
import java.util.Map;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.web.server.context.WebSessionServerSecurityContextRepository;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import org.springframework.web.server.WebSession;
import org.springframework.web.util.UriComponentsBuilder;

import com.iotorq.lean.gateway.account.Account;
import com.iotorq.lean.gateway.account.LeanUser;
import com.iotorq.lean.gateway.tenant.Tenant;
import com.iotorq.lean.gateway.tenant.TenantAttributes;
import com.iotorq.lean.gateway.web.ErrorCode;
import com.iotorq.lean.gateway.web.GatewayException;
import com.iotorq.lean.gateway.web.GatewayPaths;
import com.iotorq.lean.gateway.web.Page;

/**
 * The gateway's own {@code /account/**} pages, answered before Spring Security and Spring
 * Cloud Gateway: they need no session, and nothing under {@code /account/} is ever
 * forwarded to a backend (unknown paths there are 404).
 * <ul>
 * <li>{@code GET /account/activate?token=} shows a confirmation with a button: mail
 * scanners fetch links, so a GET never activates;</li>
 * <li>{@code POST /account/activate} (form field {@code token}) activates, but only for
 * the identity the pending account is bound to: when this session's sign-in was refused
 * for that very account ({@link AccountActivation.PendingAccount}), at once; otherwise
 * the request is kept in the session ({@link ActivationRequest}) and the person is sent
 * to sign in, and {@link PendingActivationFailureHandler} completes it if they sign in as
 * that identity. The mail proves the address, the sign-in the identity;</li>
 * <li>{@code GET /account/activate} without a token is where such a sign-in leads when it
 * succeeded, i.e. when someone with an account of their own signed in: the link is not
 * theirs;</li>
 * <li>{@code POST /account/resend-activation} sends the mail again to the pending account
 * this session's sign-in was refused for, at most once per resend interval.</li>
 * </ul>
 * Cross-site POSTs are refused by
 * {@link com.iotorq.lean.gateway.sso.CrossSiteRequestGuard}, which runs first.
 */
public final class AccountPagesFilter implements WebFilter {

	private static final String PREFIX = "/account";

	private final AccountActivation activation;

	public AccountPagesFilter(AccountActivation activation) {
		this.activation = activation;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		String path = exchange.getRequest().getPath().pathWithinApplication().value();
		if (!(path.equals(PREFIX) || path.startsWith(PREFIX + "/"))) {
			return chain.filter(exchange);
		}
		Tenant tenant = TenantAttributes.required(exchange);
		HttpMethod method = exchange.getRequest().getMethod();
		exchange.getResponse().getHeaders().set("Referrer-Policy", "no-referrer");
		return switch (path) {
			case GatewayPaths.ACCOUNT_ACTIVATE -> {
				if (HttpMethod.GET.equals(method)) {
					yield confirm(exchange, tenant, exchange.getRequest().getQueryParams().getFirst("token"));
				}
				yield HttpMethod.POST.equals(method)
						? exchange.getFormData().flatMap(form -> activate(exchange, tenant, form.getFirst("token")))
						: notAllowed();
			}
			case GatewayPaths.ACCOUNT_RESEND_ACTIVATION ->
				HttpMethod.POST.equals(method) ? resend(exchange, tenant) : notAllowed();
			default -> Mono.error(new GatewayException(ErrorCode.NOT_FOUND));
		};
	}

	private Mono<Void> confirm(ServerWebExchange exchange, Tenant tenant, @Nullable String token) {
		if (token == null) {
			return afterSignIn(exchange, tenant);
		}
		return ActivationPages.either(this.activation.inspect(tenant, token), link -> {
			if (link.status() == Account.Status.ACTIVE) {
				return active(exchange, tenant, "Your ioTORQ LEAN account is already active");
			}
			if (!link.usable()) {
				return ActivationPages.invalidLink(exchange);
			}
			return exchange.getSession().flatMap(session -> {
				Page page = Page.titled("Activate your ioTORQ LEAN account")
					.paragraph("Activate the ioTORQ LEAN account of " + EmailMask.mask(link.email()) + " in "
							+ tenant.displayName() + "?");
				if (provedFor(session, tenant, link.accountId())) {
					page = page.postButton("Activate my account", GatewayPaths.ACCOUNT_ACTIVATE,
							Map.of("token", token));
				}
				else {
					page = page
						.action("To confirm that it is you, sign in with the same organisation account as before.")
						.postButton("Sign in and activate", GatewayPaths.ACCOUNT_ACTIVATE, Map.of("token", token));
				}
				return page.writeTo(exchange);
			});
		}, () -> ActivationPages.invalidLink(exchange));
	}

	private Mono<Void> activate(ServerWebExchange exchange, Tenant tenant, @Nullable String token) {
		if (token == null) {
			return ActivationPages.invalidLink(exchange);
		}
		return ActivationPages.either(this.activation.inspect(tenant, token), link -> {
			if (!link.usable()) {
				return ActivationPages.invalidLink(exchange);
			}
			return exchange.getSession().flatMap(session -> {
				if (provedFor(session, tenant, link.accountId())) {
					return ActivationPages.either(this.activation.activate(tenant, token, link.accountId()),
							activated -> {
								session.getAttributes().remove(AccountActivation.SESSION_ATTRIBUTE);
								return active(exchange, tenant, "Your ioTORQ LEAN account is active");
							}, () -> ActivationPages.invalidLink(exchange));
				}
				// who opened the link is not known yet: the sign-in tells, and completes
				// it for the bound identity
				ActivationRequest.of(tenant, link, token).storeIn(session.getAttributes());
				return seeOther(exchange,
						UriComponentsBuilder.fromPath(GatewayPaths.LOGIN)
							.queryParam("next", GatewayPaths.ACCOUNT_ACTIVATE)
							.encode()
							.build()
							.toUriString());
			});
		}, () -> ActivationPages.invalidLink(exchange));
	}

	/**
	 * A sign-in started for an activation succeeded, so the person has an active account:
	 * the link was theirs only if that account is the one it activates (an administrator
	 * activated it meanwhile).
	 */
	private Mono<Void> afterSignIn(ServerWebExchange exchange, Tenant tenant) {
		return exchange.getSession().flatMap(session -> {
			var request = ActivationRequest.takeFrom(session.getAttributes(), tenant);
			if (request.isEmpty()) {
				return ActivationPages.invalidLink(exchange);
			}
			Object context = session.getAttributes()
				.get(WebSessionServerSecurityContextRepository.DEFAULT_SPRING_SECURITY_CONTEXT_ATTR_NAME);
			boolean same = context instanceof SecurityContext security && security.getAuthentication() != null
					&& security.getAuthentication().getPrincipal() instanceof LeanUser user
					&& user.accountId().equals(request.get().accountId());
			return same ? active(exchange, tenant, "Your ioTORQ LEAN account is already active")
					: ActivationPages.someoneElsesLink(exchange);
		});
	}

	/**
	 * Whether this session's sign-in was refused for that pending account: its bound
	 * identity signed in here.
	 */
	private static boolean provedFor(WebSession session, Tenant tenant, UUID accountId) {
		return session.getAttributes()
			.get(AccountActivation.SESSION_ATTRIBUTE) instanceof AccountActivation.PendingAccount pending
				&& pending.tenantSlug().equals(tenant.slug()) && pending.accountId().equals(accountId);
	}

	private static Mono<Void> seeOther(ServerWebExchange exchange, String location) {
		exchange.getResponse().setStatusCode(HttpStatus.SEE_OTHER);
		exchange.getResponse().getHeaders().setLocation(URI.create(location));
		return exchange.getResponse().setComplete();
	}

	private Mono<Void> resend(ServerWebExchange exchange, Tenant tenant) {
		return exchange.getSession().flatMap(session -> {
			Object value = session.getAttributes().get(AccountActivation.SESSION_ATTRIBUTE);
			if (!(value instanceof AccountActivation.PendingAccount pending)
					|| !pending.tenantSlug().equals(tenant.slug())) {
				return Mono.error(new GatewayException(ErrorCode.SIGN_IN_EXPIRED,
						"Sign in again to get a new activation email.", null));
			}
			return this.activation.send(exchange, tenant, pending.accountId())
				.flatMap(sent -> ActivationPages.sent(exchange, tenant, sent,
						(sent.maskedEmail() != null) ? sent.maskedEmail() : pending.maskedEmail(),
						this.activation.validity(), this.activation.resendInterval(), true));
		});
	}

	private static Mono<Void> active(ServerWebExchange exchange, Tenant tenant, String title) {
		return Page.titled(title)
			.paragraph("You can now sign in to " + tenant.displayName() + " with your organisation's account.")
			.button("Sign in", GatewayPaths.LOGIN)
			.writeTo(exchange);
	}

	private static Mono<Void> notAllowed() {
		return Mono.error(new GatewayException(ErrorCode.METHOD_NOT_ALLOWED));
	}

}
