package com.iotorq.lean.gateway.activation;

import java.util.Map;

import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.http.HttpMethod;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

import com.iotorq.lean.gateway.account.Account;
import com.iotorq.lean.gateway.tenant.Tenant;
import com.iotorq.lean.gateway.tenant.TenantAttributes;
import com.iotorq.lean.gateway.web.ErrorCode;
import com.iotorq.lean.gateway.web.GatewayException;
import com.iotorq.lean.gateway.web.GatewayPaths;
import com.iotorq.lean.gateway.web.ManagementRequests;
import com.iotorq.lean.gateway.web.Page;

/**
 * The gateway's own {@code /account/**} pages, answered before Spring Security and Spring
 * Cloud Gateway: they need no session, and nothing under {@code /account/} is ever forwarded to
 * a backend (unknown paths there are 404).
 * <ul>
 * <li>{@code GET /account/activate?token=} shows a confirmation with a button: mail scanners
 * fetch links, so a GET never activates;</li>
 * <li>{@code POST /account/activate} (form field {@code token}) activates;</li>
 * <li>{@code POST /account/resend-activation} sends the mail again to the pending account this
 * session's sign-in was refused for, at most once per resend interval.</li>
 * </ul>
 * Cross-site POSTs are refused by {@link com.iotorq.lean.gateway.sso.CrossSiteRequestGuard}, which
 * runs first.
 */
public final class AccountPagesFilter implements WebFilter, Ordered {

	/** After the cross-site guard (-150), before Spring Security (-100). */
	public static final int ORDER = -145;

	private static final String PREFIX = "/account";

	private final AccountActivation activation;

	public AccountPagesFilter(AccountActivation activation) {
		this.activation = activation;
	}

	@Override
	public String toString() {
		// named in a checkpoint on every request: not Object.toString's hash formatting
		return "AccountPagesFilter";
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		String path = exchange.getRequest().getPath().pathWithinApplication().value();
		if (ManagementRequests.isManagement(exchange) || !(path.equals(PREFIX) || path.startsWith(PREFIX + "/"))) {
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
				yield HttpMethod.POST.equals(method) ? exchange.getFormData()
					.flatMap(form -> activate(exchange, tenant, form.getFirst("token"))) : notAllowed();
			}
			case GatewayPaths.ACCOUNT_RESEND_ACTIVATION -> HttpMethod.POST.equals(method) ? resend(exchange, tenant)
					: notAllowed();
			default -> Mono.error(new GatewayException(ErrorCode.NOT_FOUND));
		};
	}

	private Mono<Void> confirm(ServerWebExchange exchange, Tenant tenant, String token) {
		if (token == null) {
			return ActivationPages.invalidLink(exchange);
		}
		return this.activation.inspect(tenant, token).flatMap(link -> {
			if (link.status() == Account.Status.ACTIVE) {
				return active(exchange, tenant, "Your ioTORQ LEAN account is already active");
			}
			if (!link.usable()) {
				return ActivationPages.invalidLink(exchange);
			}
			return Page.titled("Activate your ioTORQ LEAN account")
				.paragraph("Activate the ioTORQ LEAN account of " + EmailMask.mask(link.email()) + " in "
						+ tenant.displayName() + "?")
				.postButton("Activate my account", GatewayPaths.ACCOUNT_ACTIVATE, Map.of("token", token))
				.writeTo(exchange);
		}).switchIfEmpty(Mono.defer(() -> ActivationPages.invalidLink(exchange)));
	}

	private Mono<Void> activate(ServerWebExchange exchange, Tenant tenant, String token) {
		if (token == null) {
			return ActivationPages.invalidLink(exchange);
		}
		return this.activation.activate(tenant, token)
			.flatMap(activated -> active(exchange, tenant, "Your ioTORQ LEAN account is active"))
			.switchIfEmpty(Mono.defer(() -> ActivationPages.invalidLink(exchange)));
	}

	private Mono<Void> resend(ServerWebExchange exchange, Tenant tenant) {
		return exchange.getSession().flatMap(session -> {
			Object value = session.getAttributes().get(AccountActivation.SESSION_ATTRIBUTE);
			if (!(value instanceof AccountActivation.PendingAccount pending) || !pending.tenantSlug().equals(tenant.slug())) {
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

	@Override
	public int getOrder() {
		return ORDER;
	}

}
