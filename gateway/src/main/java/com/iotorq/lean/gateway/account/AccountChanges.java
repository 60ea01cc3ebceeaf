package com.iotorq.lean.gateway.account;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import org.springframework.stereotype.Component;

import com.iotorq.lean.gateway.tenant.TenantChangeListener;

/**
 * The accounts this replica heard change in a way that may end their sessions: they
 * stopped being active, their link was removed or moved, or they were deleted. The
 * trigger of {@code V26__scim_provisioning.sql} notifies {@value #CHANNEL} on every such
 * write, whoever makes it (the admin API, SCIM, SQL), once it is committed;
 * {@code TenantChangeListener} hears it on its connection. The account re-check asks
 * this, so that the sessions of such an account are re-checked on their next request on
 * every replica instead of at the end of the re-check interval; that interval remains the
 * bound on a replica that missed the notification.
 * <p>
 * A change is remembered for {@link #REMEMBERED} (the longest re-check interval): by then
 * every session has been re-checked anyway.
 */
@Component
public class AccountChanges implements TenantChangeListener.Channel {

	/** The PostgreSQL channel; the payload is the account's id. */
	public static final String CHANNEL = "lean_account_changed";

	/** How long a change is remembered: the longest re-check interval. */
	static final Duration REMEMBERED = Duration.ofMinutes(10);

	/**
	 * A check recorded up to this long after the change was heard still counts as before
	 * it: the replicas' clocks differ a little, and the check may have been made by
	 * another replica.
	 */
	static final Duration CLOCK_SLACK = Duration.ofSeconds(2);

	private final Cache<UUID, Instant> heard = Caffeine.newBuilder()
		.expireAfterWrite(REMEMBERED)
		.maximumSize(100_000)
		.build();

	private final Clock clock;

	public AccountChanges(Clock clock) {
		this.clock = clock;
	}

	@Override
	public String name() {
		return CHANNEL;
	}

	@Override
	public void notified(String payload) {
		try {
			changed(UUID.fromString(payload));
		}
		catch (IllegalArgumentException ex) {
			// not one of ours: nothing to re-check
		}
	}

	/** Records that the account changed now. */
	public void changed(UUID accountId) {
		this.heard.put(accountId, this.clock.instant());
	}

	/**
	 * Whether the account may have changed since a session's last check at
	 * {@code checkedAt}, so the session must be checked again now.
	 */
	public boolean changedSince(UUID accountId, Instant checkedAt) {
		Instant changedAt = this.heard.getIfPresent(accountId);
		return changedAt != null && checkedAt.isBefore(changedAt.plus(CLOCK_SLACK));
	}

}
