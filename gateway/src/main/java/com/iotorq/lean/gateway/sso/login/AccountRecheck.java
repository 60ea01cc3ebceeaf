package com.iotorq.lean.gateway.sso.login;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.web.server.WebSession;

import com.iotorq.lean.gateway.account.Account;
import com.iotorq.lean.gateway.account.AccountChanges;
import com.iotorq.lean.gateway.account.AccountLookup;
import com.iotorq.lean.gateway.account.LeanUser;
import com.iotorq.lean.gateway.observability.RequestLogContext;

/**
 * Re-reads the status of a signed-in person's account (and its organisation's SSO
 * settings version) now and then, so that an account disabled or deleted through any
 * replica loses access on every replica within {@code interval}, without a database query
 * per request.
 * <ul>
 * <li>The time of the last check is kept in the session (so every replica sees it) and
 * written at most once per interval; signing in counts as a check.</li>
 * <li>A session whose account this replica heard change since its last check
 * ({@link AccountChanges}: disabled through the admin API or SCIM, unlinked, deleted;
 * every replica hears it) is checked on its next request, so it ends within a second or
 * so everywhere.</li>
 * <li>An account that is no longer active (disabled, pending activation, deleted) or no
 * longer linked to the identity that signed in (unlinked or bound to another one by an
 * admin) ends the session, and so do a changed organisation or changed SSO settings
 * ({@link SessionBinding}). Every request already compares those with the cached
 * organisation; the re-check bounds the time even on a replica that missed the change
 * notification.</li>
 * <li>When the database cannot answer within {@code timeout}, the session carries on: an
 * outage must not sign everyone out. The next attempt comes {@code retry} later.</li>
 * </ul>
 */
public final class AccountRecheck {

	/**
	 * Session attribute: epoch milliseconds of the last check (or of the moment a failed
	 * check counts from).
	 */
	static final String CHECKED_AT = AccountRecheck.class.getName() + ".checkedAt";

	private static final Logger logger = LoggerFactory.getLogger(AccountRecheck.class);

	/**
	 * An outage makes every session fail its check; one warning per this interval is
	 * enough.
	 */
	private static final long WARN_EVERY_MILLIS = Duration.ofSeconds(30).toMillis();

	private final AccountLookup accounts;

	private final Clock clock;

	private final Duration interval;

	private final Duration retry;

	private final Duration timeout;

	private final AtomicLong lastWarning = new AtomicLong();

	private final @Nullable AccountChanges changes;

	public AccountRecheck(AccountLookup accounts, Clock clock, Duration interval, Duration retry, Duration timeout) {
		this(accounts, null, clock, interval, retry, timeout);
	}

	/**
	 * @param changes the accounts this replica heard change, whose sessions are checked
	 * at once; {@code null} to rely on the interval alone
	 */
	public AccountRecheck(AccountLookup accounts, @Nullable AccountChanges changes, Clock clock, Duration interval,
			Duration retry, Duration timeout) {
		this.accounts = accounts;
		this.changes = changes;
		this.clock = clock;
		this.interval = interval;
		this.retry = retry;
		this.timeout = timeout;
	}

	/**
	 * @return whether the session's user may carry on: {@code true} without a query while
	 * the last check is recent, and when the database cannot answer
	 */
	public Mono<Boolean> stillActive(WebSession session, LeanUser user) {
		Instant now = this.clock.instant();
		Long checkedAt = session.getAttribute(CHECKED_AT);
		Instant last = (checkedAt != null) ? Instant.ofEpochMilli(checkedAt) : user.signedInAt();
		if (now.isBefore(last.plus(this.interval))
				&& !(this.changes != null && this.changes.changedSince(user.accountId(), last))) {
			return Mono.just(true);
		}
		return this.accounts.sessionStandingOf(user.accountId())
			.map(standing -> Outcome.of(standing, user))
			.defaultIfEmpty(Outcome.INACTIVE)
			.timeout(this.timeout)
			.flatMap(outcome -> switch (outcome) {
				case ACTIVE -> {
					session.getAttributes().put(CHECKED_AT, now.toEpochMilli());
					yield Mono.just(true);
				}
				case INACTIVE ->
					RequestLogContext
						.log(() -> logger.info("Account {} of '{}' is no longer active: its session ends",
								user.accountId(), user.tenantSlug()))
						.thenReturn(false);
				case UNLINKED -> RequestLogContext.log(() -> logger.info(
						"Account {} of '{}' is no longer linked to the identity that signed in: its session ends",
						user.accountId(), user.tenantSlug()))
					.thenReturn(false);
				case ORGANISATION_CHANGED -> RequestLogContext.log(() -> logger.info(
						"The organisation '{}' or who may sign in to it changed since account {} signed in: its session ends",
						user.tenantSlug(), user.accountId()))
					.thenReturn(false);
			})
			.onErrorResume(ex -> {
				warn(ex);
				// counted so that the next check falls due `retry` from now
				session.getAttributes().put(CHECKED_AT, now.minus(this.interval).plus(this.retry).toEpochMilli());
				return Mono.just(true);
			});
	}

	private enum Outcome {

		ACTIVE, INACTIVE,

		/**
		 * An admin removed the account's link, or bound it to another identity, since the
		 * sign-in.
		 */
		UNLINKED,

		/**
		 * The session's organisation was deleted, its SSO settings were replaced by ones
		 * with another directory, client ID or group list, or SSO was turned off: caught
		 * here even by a replica whose tenant cache missed the change notification
		 * ({@link SessionBinding}).
		 */
		ORGANISATION_CHANGED;

		static Outcome of(AccountLookup.SessionStanding standing, LeanUser user) {
			if (standing.status() != Account.Status.ACTIVE) {
				return INACTIVE;
			}
			if (!standing.linkedTo(user.idpDirectoryId(), user.idpObjectId())) {
				return UNLINKED;
			}
			boolean sameSettings = standing.tenantId().equals(user.tenantId()) && standing.ssoSessionVersion() != null
					&& standing.ssoSessionVersion() <= user.ssoSessionVersion();
			return sameSettings ? ACTIVE : ORGANISATION_CHANGED;
		}

	}

	private void warn(Throwable ex) {
		long now = System.currentTimeMillis();
		long last = this.lastWarning.get();
		if (now - last >= WARN_EVERY_MILLIS && this.lastWarning.compareAndSet(last, now)) {
			logger.warn("Account status re-checks fail ({}); sessions carry on and retry in {}", ex.toString(),
					this.retry);
		}
	}

}
