package com.iotorq.lean.gateway.setup;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.transaction.reactive.TransactionalOperator;

import com.iotorq.lean.gateway.audit.AuditLog;
import com.iotorq.lean.gateway.config.GatewayProperties;
import com.iotorq.lean.gateway.onboarding.SetupLinkIssuer;
import com.iotorq.lean.gateway.tenant.Tenant;
import com.iotorq.lean.gateway.web.GatewayPaths;

/**
 * Issues setup links: a new 256-bit token whose SHA-256 is stored with the link, and the
 * audit row, in one transaction. The URL is the organisation's public origin
 * ({@code lean.gateway.public-scheme}, its own host, {@code lean.sso.setup.public-port})
 * and {@code /oauth/setup/<token>}; the token is returned once and never logged.
 */
public final class DefaultSetupLinkIssuer implements SetupLinkIssuer {

	private static final Logger logger = LoggerFactory.getLogger(DefaultSetupLinkIssuer.class);

	private final SetupLinkRepository links;

	private final AuditLog audit;

	private final TransactionalOperator transaction;

	private final GatewayProperties gateway;

	private final SetupProperties properties;

	public DefaultSetupLinkIssuer(SetupLinkRepository links, AuditLog audit, TransactionalOperator transaction,
			GatewayProperties gateway, SetupProperties properties) {
		this.links = links;
		this.audit = audit;
		this.transaction = transaction;
		this.gateway = gateway;
		this.properties = properties;
	}

	@Override
	public Mono<IssuedSetupLink> issue(String actor, Tenant tenant, @Nullable String email, Duration validFor) {
		String token = SetupTokens.random();
		Mono<IssuedSetupLink> issued = this.links.insert(tenant.id(), SetupTokens.hash(token), email, actor, validFor)
			.flatMap(link -> this.audit
				.record(actor, "sso.setup-link.created", tenant.slug(), email, null,
						new LinkAudit(link.id(), link.expiresAt(), email))
				.thenReturn(new IssuedSetupLink(link.id(), url(tenant, token), link.expiresAt())));
		return this.transaction.transactional(issued)
			.doOnNext(link -> logger.info("Created setup link {} for {}, valid until {}", link.id(), tenant.slug(),
					link.expiresAt()));
	}

	/**
	 * {@code <scheme>://<slug>.<base-domain>[:port]}, where browsers reach the
	 * organisation.
	 */
	String origin(Tenant tenant) {
		Integer port = this.properties.publicPort();
		return this.gateway.publicOrigin(tenant.slug()) + ((port != null) ? ":" + port : "");
	}

	private String url(Tenant tenant, String token) {
		return origin(tenant) + GatewayPaths.SETUP + "/" + token;
	}

	/** The audited link: never its token. */
	record LinkAudit(UUID id, Instant expiresAt, @Nullable String email) {
	}

}
