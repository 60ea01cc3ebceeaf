package com.iotorq.lean.gateway.activation;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.UUID;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;

import com.iotorq.lean.gateway.account.Account;

/**
 * Activation links in PostgreSQL. A token is 256 random bits, sent only in the mail; the
 * database holds its SHA-256, so a copy of the database activates nobody. Each token
 * works once and until it expires, and only on its own organisation's host.
 */
@Repository
public class ActivationTokens {

	/**
	 * What a token looks like: base64url of 32 bytes. Anything else is refused unread.
	 */
	private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{43}");

	private final SecureRandom random = new SecureRandom();

	private final DatabaseClient db;

	public ActivationTokens(DatabaseClient db) {
		this.db = db;
	}

	/**
	 * Records that a mail is being sent to the account, unless one was sent within
	 * {@code interval} or the account is not pending: an atomic compare-and-set, so two
	 * replicas never both send.
	 * @return the account's email when the caller may send, else empty
	 */
	public Mono<String> claimSend(UUID accountId, Duration interval) {
		return this.db.sql("""
				UPDATE account SET activation_sent_at = now()
				 WHERE id = $1 AND status = 'PENDING_ACTIVATION'
				   AND (activation_sent_at IS NULL OR activation_sent_at <= now() - make_interval(secs => $2))
				RETURNING email""")
			.bind(0, accountId)
			.bind(1, (double) interval.toMillis() / 1000)
			.map(row -> row.get("email", String.class))
			.one();
	}

	/**
	 * Undoes {@link #claimSend} after the mail could not be sent, so the person can retry
	 * at once.
	 */
	public Mono<Void> releaseSend(UUID accountId) {
		return this.db.sql("UPDATE account SET activation_sent_at = NULL WHERE id = $1").bind(0, accountId).then();
	}

	/**
	 * @return a new token for the account, valid for {@code ttl}; only its hash is stored
	 */
	public Mono<String> issue(UUID accountId, Duration ttl) {
		byte[] bytes = new byte[32];
		this.random.nextBytes(bytes);
		String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
		return this.db
			.sql("INSERT INTO account_activation (token_hash, account_id, expires_at) "
					+ "VALUES ($1, $2, now() + make_interval(secs => $3))")
			.bind(0, hash(token))
			.bind(1, accountId)
			.bind(2, (double) ttl.toMillis() / 1000)
			.then()
			.thenReturn(token);
	}

	/**
	 * The link's state, for the page shown before activating; empty when there is no such
	 * token.
	 */
	public Mono<Link> find(String token, UUID tenantId) {
		if (!TOKEN.matcher(token).matches()) {
			return Mono.empty();
		}
		return this.db.sql("""
				SELECT a.account_id, c.email, c.status, a.expires_at, a.used_at, (a.expires_at > now()) AS unexpired
				  FROM account_activation a JOIN account c ON c.id = a.account_id
				 WHERE a.token_hash = $1 AND c.tenant_id = $2""")
			.bind(0, hash(token))
			.bind(1, tenantId)
			.map(row -> new Link(row.get("account_id", UUID.class), row.get("email", String.class),
					Account.Status.valueOf(row.get("status", String.class)),
					row.get("expires_at", OffsetDateTime.class).toInstant(),
					row.get("used_at", OffsetDateTime.class) != null,
					Boolean.TRUE.equals(row.get("unexpired", Boolean.class))))
			.one();
	}

	/**
	 * Uses the token: marks it used and activates its pending account, in one statement.
	 * @param accountId the account whose bound identity the caller proved to be using the
	 * link
	 * @return the activated account's id and email; empty when the token is unknown,
	 * used, expired, of another organisation or another account, or its account is no
	 * longer pending
	 */
	public Mono<Activated> consume(String token, UUID tenantId, UUID accountId) {
		if (!TOKEN.matcher(token).matches()) {
			return Mono.empty();
		}
		return consume(hash(token), tenantId, accountId);
	}

	/**
	 * {@link #consume(String, UUID, UUID)} by the token's {@link #hashText hash}, as a
	 * session keeps it.
	 */
	public Mono<Activated> consumeHashed(String tokenHash, UUID tenantId, UUID accountId) {
		byte[] hash;
		try {
			hash = Base64.getUrlDecoder().decode(tokenHash);
		}
		catch (IllegalArgumentException ex) {
			return Mono.empty();
		}
		return consume(hash, tenantId, accountId);
	}

	private Mono<Activated> consume(byte[] hash, UUID tenantId, UUID accountId) {
		return this.db.sql("""
				WITH used AS (
				  UPDATE account_activation a SET used_at = now()
				    FROM account c
				   WHERE a.token_hash = $1 AND a.used_at IS NULL AND a.expires_at > now() AND a.account_id = $3
				     AND c.id = a.account_id AND c.tenant_id = $2 AND c.status = 'PENDING_ACTIVATION'
				  RETURNING a.account_id)
				UPDATE account SET status = 'ACTIVE', updated_at = now()
				 WHERE id IN (SELECT account_id FROM used)
				RETURNING id, email""")
			.bind(0, hash)
			.bind(1, tenantId)
			.bind(2, accountId)
			.map(row -> new Activated(row.get("id", UUID.class), row.get("email", String.class)))
			.one();
	}

	/**
	 * Makes every unused link of the account unusable, e.g. after an administrator
	 * activated it.
	 */
	public Mono<Void> revokeAll(UUID accountId) {
		return this.db.sql("UPDATE account_activation SET used_at = now() WHERE account_id = $1 AND used_at IS NULL")
			.bind(0, accountId)
			.then();
	}

	/**
	 * The token's hash as text (base64url), for keeping in a session instead of the
	 * token.
	 */
	static String hashText(String token) {
		return Base64.getUrlEncoder().withoutPadding().encodeToString(hash(token));
	}

	static byte[] hash(String token) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is part of every Java runtime", ex);
		}
	}

	/**
	 * @param accountId the account it activates
	 * @param email where it was sent
	 * @param status the account's status now
	 * @param expiresAt when it stops working
	 * @param used whether it was used
	 * @param unexpired whether it is still within its lifetime (by the database's clock)
	 */
	public record Link(UUID accountId, String email, Account.Status status, Instant expiresAt, boolean used,
			boolean unexpired) {

		public boolean usable() {
			return !this.used && this.unexpired && this.status == Account.Status.PENDING_ACTIVATION;
		}

	}

	/**
	 * @param accountId the account now active
	 * @param email its email
	 */
	public record Activated(UUID accountId, @Nullable String email) {
	}

}
