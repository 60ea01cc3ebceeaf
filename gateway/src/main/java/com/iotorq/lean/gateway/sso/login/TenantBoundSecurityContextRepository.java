package com.iotorq.lean.gateway.sso.login;

import java.time.Clock;
import java.time.Duration;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.web.server.context.ServerSecurityContextRepository;
import org.springframework.security.web.server.context.WebSessionServerSecurityContextRepository;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebSession;
import org.springframework.web.server.session.WebSessionIdResolver;

import com.iotorq.lean.gateway.account.LeanUser;
import com.iotorq.lean.gateway.tenant.Tenant;
import com.iotorq.lean.gateway.tenant.TenantAttributes;
import com.iotorq.lean.gateway.observability.RequestLogContext;

/**
 * The signed-in user of a session, honoured only on the host of the organisation they
 * signed in to and only until the absolute timeout. A session presented on another
 * organisation's host is treated as anonymous there (and logged); an expired one is
 * ended, and so is one whose account is no longer active ({@link AccountRecheck}), and
 * one signed in before the organisation was created again or before who may sign in to it
 * changed ({@link SessionBinding}).
 * <p>
 * The session is not even asked for where there can be no signed-in user: on the hosts of
 * organisations the gateway does not sign in (so they keep working without the session
 * store), and in requests that name no session (asking creates one, whose id Spring
 * Session draws from {@code SecureRandom} on another thread: most of the cost of an
 * anonymous request).
 */
public final class TenantBoundSecurityContextRepository implements ServerSecurityContextRepository {

	private static final Logger logger = LoggerFactory.getLogger(TenantBoundSecurityContextRepository.class);

	private final WebSessionServerSecurityContextRepository sessions = new WebSessionServerSecurityContextRepository();

	private final WebSessionIdResolver sessionIds;

	private final Duration absoluteTimeout;

	private final Clock clock;

	private final AccountRecheck recheck;

	public TenantBoundSecurityContextRepository(WebSessionIdResolver sessionIds, Duration absoluteTimeout, Clock clock,
			AccountRecheck recheck) {
		this.sessionIds = sessionIds;
		this.absoluteTimeout = absoluteTimeout;
		this.clock = clock;
		this.recheck = recheck;
	}

	@Override
	public Mono<Void> save(ServerWebExchange exchange, @Nullable SecurityContext context) {
		// changes the session id when a context is saved: no session fixation at sign-in
		return this.sessions.save(exchange, context);
	}

	@Override
	public Mono<SecurityContext> load(ServerWebExchange exchange) {
		if (!TenantAttributes.tenant(exchange).map(Tenant::hasSso).orElse(false)
				|| this.sessionIds.resolveSessionIds(exchange).isEmpty()) {
			return Mono.empty();
		}
		return this.sessions.load(exchange).flatMap(context -> {
			if (!(context.getAuthentication() != null
					&& context.getAuthentication().getPrincipal() instanceof LeanUser user)) {
				return Mono.just(context);
			}
			Tenant tenant = TenantAttributes.tenant(exchange).orElseThrow();
			String host = tenant.slug();
			if (!user.tenantSlug().equals(host)) {
				RequestLogContext.log(exchange,
						() -> logger.warn("A session of organisation '{}' was presented on the host of '{}': ignored",
								user.tenantSlug(), host));
				return Mono.empty();
			}
			SessionBinding binding = SessionBinding.of(user, tenant);
			if (binding == SessionBinding.ENDED) {
				RequestLogContext.log(exchange, () -> logger.info(
						"Session of account {} in '{}' was signed in before the organisation or who may sign in to it changed: it ends",
						user.accountId(), host));
				return exchange.getSession().flatMap(WebSession::invalidate).then(Mono.empty());
			}
			if (binding == SessionBinding.AHEAD_OF_CACHE) {
				RequestLogContext.log(exchange, () -> logger.info(
						"Session of account {} in '{}' is newer than this replica's view of the organisation: anonymous until it catches up",
						user.accountId(), host));
				return Mono.empty();
			}
			if (this.clock.instant().isAfter(user.signedInAt().plus(this.absoluteTimeout))) {
				RequestLogContext.log(exchange, () -> logger
					.info("Session of account {} in '{}' reached its absolute timeout", user.accountId(), host));
				return exchange.getSession().flatMap(WebSession::invalidate).then(Mono.empty());
			}
			return exchange.getSession()
				.flatMap(session -> this.recheck.stillActive(session, user)
					.flatMap(active -> active ? Mono.just(context) : session.invalidate().then(Mono.empty())));
		});
	}

}
