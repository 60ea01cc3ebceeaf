package com.iotorq.lean.gateway.sso.login;

import java.time.Clock;
import java.time.Duration;

import org.springframework.web.server.session.WebSessionIdResolver;

import com.iotorq.lean.gateway.config.BenchAblation;
import com.iotorq.lean.gateway.ratelimit.SignedInRequests;

/**
 * The session step as the gateway wires it ({@code SignInConfiguration}): one
 * {@link RequestScopedSecurityContexts} (package-private) over the tenant-bound
 * repository, shared by the limits step ({@link #signedInRequests}) and the session step
 * ({@link #sessions}).
 */
public final class BenchSessionSteps {

	private final RequestScopedSecurityContexts contexts;

	private final SignedInSessions sessions;

	public BenchSessionSteps(WebSessionIdResolver sessionIds, Duration absoluteTimeout, Clock clock,
			AccountRecheck recheck, BenchAblation ablation) {
		this.contexts = new RequestScopedSecurityContexts(
				new TenantBoundSecurityContextRepository(sessionIds, absoluteTimeout, clock, recheck));
		this.sessions = new SignedInSessions(this.contexts, sessionIds, ablation);
	}

	public SignedInRequests signedInRequests() {
		return this.contexts;
	}

	public SignedInSessions sessions() {
		return this.sessions;
	}

}
