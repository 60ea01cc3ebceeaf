package com.iotorq.lean.gateway.sso.login;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.security.oauth2.core.oidc.OidcIdToken;
import org.springframework.web.server.WebSession;
import org.springframework.web.server.session.InMemoryWebSessionStore;

import com.iotorq.lean.gateway.account.Account;
import com.iotorq.lean.gateway.account.AccountChanges;
import com.iotorq.lean.gateway.account.AccountLookup;
import com.iotorq.lean.gateway.account.AccountLookup.SessionStanding;
import com.iotorq.lean.gateway.account.LeanUser;

import static org.assertj.core.api.Assertions.assertThat;

class AccountRecheckTests {

	private static final Instant SIGNED_IN = Instant.parse("2026-11-26T10:00:00Z");

	private static final UUID TENANT_ID = UUID.randomUUID();

	private static final long VERSION = 42;

	private final MutableClock clock = new MutableClock(SIGNED_IN);

	private final StatusAnswers answers = new StatusAnswers();

	private final AccountRecheck recheck = new AccountRecheck(this.answers, this.clock, Duration.ofSeconds(60),
			Duration.ofSeconds(5), Duration.ofMillis(200));

	private final WebSession session = new InMemoryWebSessionStore().createWebSession().block();

	private final LeanUser user = user();

	@Test
	void stillActiveWhenWithinIntervalOfSignInOrLastCheckThenNoQuery() {
		for (int second = 0; second < 60; second += 5) {
			this.clock.set(SIGNED_IN.plusSeconds(second));
			assertThat(this.recheck.stillActive(this.session, this.user).block()).isTrue();
		}
		assertThat(this.answers.queries).hasValue(0);

		this.answers.next(Mono.just(Account.Status.ACTIVE));
		this.clock.set(SIGNED_IN.plusSeconds(61));
		assertThat(this.recheck.stillActive(this.session, this.user).block()).isTrue();
		assertThat(this.answers.queries).hasValue(1);
		this.clock.set(SIGNED_IN.plusSeconds(120));
		assertThat(this.recheck.stillActive(this.session, this.user).block()).isTrue();
		assertThat(this.answers.queries).hasValue(1);
	}

	@Test
	void stillActiveWhenAccountDisabledPendingOrDeletedThenFalse() {
		this.clock.set(SIGNED_IN.plusSeconds(61));
		this.answers.next(Mono.just(Account.Status.DISABLED));
		assertThat(this.recheck.stillActive(this.session, this.user).block()).isFalse();
		this.answers.next(Mono.just(Account.Status.PENDING_ACTIVATION));
		assertThat(this.recheck.stillActive(this.session, this.user).block()).isFalse();
		this.answers.next(Mono.empty());
		assertThat(this.recheck.stillActive(this.session, this.user).block()).isFalse();
	}

	@Test
	void stillActiveWhenOrganisationOrWhoMaySignInChangedUnnoticedByTheCacheThenFalse() {
		this.clock.set(SIGNED_IN.plusSeconds(61));
		// new directory, client ID or group list
		this.answers.nextStanding(standing(TENANT_ID, VERSION + 1, "tid", "oid"));
		assertThat(this.recheck.stillActive(this.session, this.user).block()).isFalse();
		// SSO turned off
		this.answers.nextStanding(standing(TENANT_ID, null, "tid", "oid"));
		assertThat(this.recheck.stillActive(this.session, this.user).block()).isFalse();
		// an account of another organisation: cannot happen, an account never moves;
		// refused all the same
		this.answers.nextStanding(standing(UUID.randomUUID(), VERSION, "tid", "oid"));
		assertThat(this.recheck.stillActive(this.session, this.user).block()).isFalse();
		// the settings it signed in under, still in force
		this.answers.nextStanding(standing(TENANT_ID, VERSION, "tid", "oid"));
		assertThat(this.recheck.stillActive(this.session, this.user).block()).isTrue();
	}

	@Test
	void stillActiveWhenAccountUnlinkedOrBoundToAnotherIdentityThenFalse() {
		this.clock.set(SIGNED_IN.plusSeconds(61));
		// DELETE /admin/tenants/{slug}/users/{email}/link
		this.answers.nextStanding(standing(TENANT_ID, VERSION, null, null));
		assertThat(this.recheck.stillActive(this.session, this.user).block()).isFalse();
		// PUT /admin/tenants/{slug}/users/{email} with another entraObjectId
		this.answers.nextStanding(standing(TENANT_ID, VERSION, "tid", "another-oid"));
		assertThat(this.recheck.stillActive(this.session, this.user).block()).isFalse();
		// object ids are GUIDs: their case carries no meaning
		this.answers.nextStanding(standing(TENANT_ID, VERSION, "TID", "OID"));
		assertThat(this.recheck.stillActive(this.session, this.user).block()).isTrue();
	}

	private static SessionStanding standing(UUID tenantId, Long version, String directoryId, String objectId) {
		return new SessionStanding(Account.Status.ACTIVE, tenantId, version, directoryId, objectId);
	}

	@Test
	void stillActiveWhenDatabaseFailsOrHangsThenSessionKeptAndRetriedAfterRetryDelay() {
		this.clock.set(SIGNED_IN.plusSeconds(61));
		this.answers.next(Mono.error(new IllegalStateException("database down")));
		assertThat(this.recheck.stillActive(this.session, this.user).block()).isTrue();
		this.clock.set(SIGNED_IN.plusSeconds(65));
		assertThat(this.recheck.stillActive(this.session, this.user).block()).isTrue();
		assertThat(this.answers.queries).hasValue(1);

		this.clock.set(SIGNED_IN.plusSeconds(66));
		this.answers.next(Mono.never());
		assertThat(this.recheck.stillActive(this.session, this.user).block(Duration.ofSeconds(5))).isTrue();
		assertThat(this.answers.queries).hasValue(2);

		this.clock.set(SIGNED_IN.plusSeconds(72));
		this.answers.next(Mono.just(Account.Status.DISABLED));
		assertThat(this.recheck.stillActive(this.session, this.user).block()).isFalse();
	}

	@Test
	void stillActiveWhenAccountChangeHeardSinceLastCheckThenCheckedAtOnceWithinTheInterval() {
		AccountChanges changes = new AccountChanges(this.clock);
		AccountRecheck withChanges = new AccountRecheck(this.answers, changes, this.clock, Duration.ofSeconds(60),
				Duration.ofSeconds(5), Duration.ofMillis(200));
		// another account's change, or none: no query within the interval
		changes.changed(UUID.randomUUID());
		this.clock.set(SIGNED_IN.plusSeconds(10));
		assertThat(withChanges.stillActive(this.session, this.user).block()).isTrue();
		assertThat(this.answers.queries).hasValue(0);

		// disabled through the admin API or SCIM on any replica: checked on the next
		// request
		this.clock.set(SIGNED_IN.plusSeconds(20));
		changes.changed(this.user.accountId());
		this.clock.set(SIGNED_IN.plusSeconds(21));
		this.answers.next(Mono.just(Account.Status.DISABLED));
		assertThat(withChanges.stillActive(this.session, this.user).block()).isFalse();
		assertThat(this.answers.queries).hasValue(1);
	}

	@Test
	void stillActiveWhenChangeHeardBeforeTheLastCheckThenNoQueryUntilTheInterval() {
		AccountChanges changes = new AccountChanges(this.clock);
		AccountRecheck withChanges = new AccountRecheck(this.answers, changes, this.clock, Duration.ofSeconds(60),
				Duration.ofSeconds(5), Duration.ofMillis(200));
		this.clock.set(SIGNED_IN.plusSeconds(5));
		changes.changed(this.user.accountId());
		// re-enabled, say: the session's first check after the change (and its clock
		// slack) finds it active
		this.clock.set(SIGNED_IN.plusSeconds(8));
		this.answers.next(Mono.just(Account.Status.ACTIVE));
		assertThat(withChanges.stillActive(this.session, this.user).block()).isTrue();
		// then no query until the interval
		this.clock.set(SIGNED_IN.plusSeconds(10));
		assertThat(withChanges.stillActive(this.session, this.user).block()).isTrue();
		this.clock.set(SIGNED_IN.plusSeconds(50));
		assertThat(withChanges.stillActive(this.session, this.user).block()).isTrue();
		assertThat(this.answers.queries).hasValue(1);
	}

	private static LeanUser user() {
		OidcIdToken token = OidcIdToken.withTokenValue("token")
			.subject("sub")
			.issuer("https://login.example/tid/v2.0")
			.issuedAt(SIGNED_IN)
			.expiresAt(SIGNED_IN.plusSeconds(3600))
			.build();
		Account account = new Account(UUID.randomUUID(), TENANT_ID, "ada@acme.example", "Ada", Account.Status.ACTIVE,
				"tid", "oid", SIGNED_IN, SIGNED_IN);
		return new LeanUser(token, account, "acme", TENANT_ID, VERSION, "tid", "oid", SIGNED_IN);
	}

	/**
	 * Answers {@code sessionStandingOf} from memory with what the test queued (a status
	 * alone stands for the session's own organisation and settings), counting the
	 * queries.
	 */
	private static final class StatusAnswers implements AccountLookup {

		final AtomicInteger queries = new AtomicInteger();

		private final Deque<Mono<SessionStanding>> next = new ArrayDeque<>();

		void next(Mono<Account.Status> status) {
			this.next.add(status.map(s -> new SessionStanding(s, TENANT_ID, VERSION, "tid", "oid")));
		}

		void nextStanding(SessionStanding standing) {
			this.next.add(Mono.just(standing));
		}

		@Override
		public Mono<SessionStanding> sessionStandingOf(UUID id) {
			this.queries.incrementAndGet();
			return this.next.isEmpty() ? Mono.error(new AssertionError("unexpected query")) : this.next.poll();
		}

	}

	private static final class MutableClock extends Clock {

		private volatile Instant now;

		MutableClock(Instant now) {
			this.now = now;
		}

		void set(Instant now) {
			this.now = now;
		}

		@Override
		public Instant instant() {
			return this.now;
		}

		@Override
		public java.time.ZoneId getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(java.time.ZoneId zone) {
			return this;
		}

	}

}
