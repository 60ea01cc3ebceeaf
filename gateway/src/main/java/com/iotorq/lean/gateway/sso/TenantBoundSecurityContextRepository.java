package com.iotorq.lean.gateway.sso;

import java.time.Clock;
import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.web.server.context.ServerSecurityContextRepository;
import org.springframework.security.web.server.context.WebSessionServerSecurityContextRepository;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebSession;

import com.iotorq.lean.gateway.account.LeanUser;
import com.iotorq.lean.gateway.tenant.Tenant;
import com.iotorq.lean.gateway.tenant.TenantAttributes;

/**
 * The signed-in user of a session, honoured only on the host of the organisation they signed in
 * to and only until the absolute timeout. A session presented on another organisation's host
 * is treated as anonymous there (and logged); an expired one is ended, and so is one whose
 * account is no longer active ({@link AccountRecheck}).
 * <p>
 * Organisations the gateway does not sign in have no signed-in users: their requests never
 * load the session, so they never touch the session store (and keep working without it).
 */
public final class TenantBoundSecurityContextRepository implements ServerSecurityContextRepository {

	private static final Logger logger = LoggerFactory.getLogger(TenantBoundSecurityContextRepository.class);

	private final WebSessionServerSecurityContextRepository sessions = new WebSessionServerSecurityContextRepository();

	private final Duration absoluteTimeout;

	private final Clock clock;

	private final AccountRecheck recheck;

	public TenantBoundSecurityContextRepository(Duration absoluteTimeout, Clock clock, AccountRecheck recheck) {
		this.absoluteTimeout = absoluteTimeout;
		this.clock = clock;
		this.recheck = recheck;
	}

	@Override
	public Mono<Void> save(ServerWebExchange exchange, SecurityContext context) {
		// changes the session id when a context is saved: no session fixation at sign-in
		return this.sessions.save(exchange, context);
	}

	@Override
	public Mono<SecurityContext> load(ServerWebExchange exchange) {
		if (!TenantAttributes.tenant(exchange).map(Tenant::hasSso).orElse(false)) {
			return Mono.empty();
		}
		return this.sessions.load(exchange).flatMap(context -> {
			if (!(context.getAuthentication() != null && context.getAuthentication().getPrincipal() instanceof LeanUser user)) {
				return Mono.just(context);
			}
			String host = TenantAttributes.tenant(exchange).map(tenant -> tenant.slug()).orElse(null);
			if (!user.tenantSlug().equals(host)) {
				logger.warn("A session of organisation '{}' was presented on the host of '{}': ignored", user.tenantSlug(), host);
				return Mono.empty();
			}
			if (this.clock.instant().isAfter(user.signedInAt().plus(this.absoluteTimeout))) {
				logger.info("Session of account {} in '{}' reached its absolute timeout", user.accountId(), host);
				return exchange.getSession().flatMap(WebSession::invalidate).then(Mono.empty());
			}
			return exchange.getSession()
				.flatMap(session -> this.recheck.stillActive(session, user)
					.flatMap(active -> active ? Mono.just(context) : session.invalidate().then(Mono.empty())));
		});
	}

}
