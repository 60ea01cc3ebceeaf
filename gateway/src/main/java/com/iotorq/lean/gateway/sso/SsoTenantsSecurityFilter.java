package com.iotorq.lean.gateway.sso;

import java.util.List;

import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.WebFilterChainProxy;
import org.springframework.security.web.server.firewall.ServerExchangeRejectedException;
import org.springframework.security.web.server.firewall.ServerExchangeRejectedHandler;
import org.springframework.security.web.server.firewall.ServerWebExchangeFirewall;
import org.springframework.security.web.server.firewall.StrictServerWebExchangeFirewall;
import org.springframework.security.web.server.header.HttpHeaderWriterWebFilter;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

import com.iotorq.lean.gateway.tenant.Tenant;
import com.iotorq.lean.gateway.tenant.TenantAttributes;
import com.iotorq.lean.gateway.web.ManagementRequests;

/**
 * Spring Security's filter chain, run only where it has work to do. For an organisation without
 * SSO the public chain signs no one in and lets every request pass, yet running it (a dozen
 * filters, matchers and session checks) cost a third of such a request's CPU. Those requests get
 * what they got from it, and only that: the same firewall (malformed paths and headers are still
 * refused with 400) and the same security response headers. The gateway's own endpoints
 * ({@code /oauth/*}, {@code /account/*}) and every other organisation always go through the
 * whole chain.
 */
final class SsoTenantsSecurityFilter extends WebFilterChainProxy implements Ordered {

	private final WebFilterChainProxy chains;

	private final WebFilter securityHeaders;

	private final ServerWebExchangeFirewall firewall = new StrictServerWebExchangeFirewall();

	private final ServerExchangeRejectedHandler rejected;

	SsoTenantsSecurityFilter(WebFilterChainProxy chains, SecurityWebFilterChain publicChain,
			ServerExchangeRejectedHandler rejected) {
		super(List.of());
		this.chains = chains;
		this.rejected = rejected;
		this.securityHeaders = publicChain.getWebFilters()
			.filter(HttpHeaderWriterWebFilter.class::isInstance)
			.blockFirst();
		if (this.securityHeaders == null) {
			throw new IllegalStateException("The public security chain writes no security headers");
		}
	}

	@Override
	public String toString() {
		// named in a checkpoint on every request: not Object.toString's hash formatting
		return "SsoTenantsSecurityFilter";
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		if (!isPassThrough(exchange)) {
			return this.chains.filter(exchange, chain);
		}
		return this.firewall.getFirewalledExchange(exchange)
			.flatMap(firewalled -> this.securityHeaders.filter(firewalled, chain))
			.onErrorResume(ServerExchangeRejectedException.class,
					ex -> this.rejected.handle(exchange, ex).then(Mono.empty()));
	}

	/** A public request of an organisation without SSO, for its backend. */
	private static boolean isPassThrough(ServerWebExchange exchange) {
		Tenant tenant = exchange.getAttribute(TenantAttributes.TENANT);
		if (tenant == null || tenant.hasSso() || ManagementRequests.isManagement(exchange)) {
			return false;
		}
		String path = exchange.getRequest().getPath().value();
		// an encoded path may decode to one of the gateway's endpoints: the chain's matchers decide
		return !(path.startsWith("/oauth") || path.startsWith("/account") || path.indexOf('%') >= 0);
	}

	@Override
	public int getOrder() {
		return -100; // where Spring Security's WebFluxSecurityConfiguration places the chains it replaces
	}

}
