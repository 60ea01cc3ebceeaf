package com.iotorq.lean.gateway.scim;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;

import com.iotorq.lean.gateway.audit.AuditLog;
import com.iotorq.lean.gateway.tenant.Tenant;

/**
 * Each organisation's SCIM bearer token: 256 random bits, shown once when LEAN support
 * creates it and stored only as its SHA-256 (a plain hash suffices for a token this
 * random: nothing can be guessed from it). A new token replaces the old one at once;
 * deleting it turns SCIM off. A presented token is compared with the stored hash of the
 * organisation whose host it came to, in constant time, so a token works only on its own
 * organisation's host.
 */
@Service
public class ScimTokens {

	private static final int TOKEN_BYTES = 32;

	private final SecureRandom random = new SecureRandom();

	private final ScimTokenRepository tokens;

	private final AuditLog audit;

	private final TransactionalOperator transaction;

	public ScimTokens(ScimTokenRepository tokens, AuditLog audit, TransactionalOperator transaction) {
		this.tokens = tokens;
		this.audit = audit;
		this.transaction = transaction;
	}

	/**
	 * Creates the organisation's token, replacing any other; audited (never the token).
	 */
	public Mono<Issued> issue(String actor, Tenant tenant) {
		byte[] secret = new byte[TOKEN_BYTES];
		this.random.nextBytes(secret);
		String token = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
		Mono<Issued> change = this.tokens.replace(tenant.id(), hash(token))
			.flatMap(createdAt -> this.audit
				.record(actor, "scim.token.created", tenant.slug(), null, null,
						Map.of("createdAt", createdAt.toString()))
				.thenReturn(new Issued(token, createdAt)));
		return this.transaction.transactional(change);
	}

	/**
	 * Turns SCIM off for the organisation; audited when there was a token.
	 * @return whether there was one
	 */
	public Mono<Boolean> revoke(String actor, Tenant tenant) {
		Mono<Boolean> change = this.tokens.delete(tenant.id())
			.flatMap(deleted -> !deleted ? Mono.just(false)
					: this.audit.record(actor, "scim.token.deleted", tenant.slug(), null, null, null).thenReturn(true));
		return this.transaction.transactional(change);
	}

	/**
	 * Whether {@code presented} is the token of this organisation (false when it has
	 * none).
	 */
	public Mono<Boolean> isValid(Tenant tenant, @Nullable String presented) {
		if (presented == null || presented.isEmpty()) {
			return Mono.just(false);
		}
		byte[] hash = hash(presented);
		return this.tokens.hashOf(tenant.id()).map(stored -> MessageDigest.isEqual(stored, hash)).defaultIfEmpty(false);
	}

	static byte[] hash(String token) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("every Java platform has SHA-256", ex);
		}
	}

	/**
	 * A new token, the only time it exists outside the caller.
	 *
	 * @param token the bearer token for Entra's "Secret Token" field
	 * @param createdAt when it was created
	 */
	public record Issued(String token, Instant createdAt) {

		@Override
		public String toString() {
			return "Issued[createdAt=" + this.createdAt + "]";
		}

	}

}
