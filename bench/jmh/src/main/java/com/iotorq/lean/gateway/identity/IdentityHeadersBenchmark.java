package com.iotorq.lean.gateway.identity;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import org.springframework.security.oauth2.core.oidc.OidcIdToken;

import com.iotorq.lean.gateway.account.Account;
import com.iotorq.lean.gateway.account.LeanUser;

/**
 * The identity headers of a signed-in user's request ({@link IdentityHeaders}): the
 * signed {@code X-Lean-Identity} from {@link IdentityAssertions}' per-session cache, and
 * the header values. {@code signUncached} is what each request would cost if the
 * assertion were signed every time.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class IdentityHeadersBenchmark {

	private IdentityAssertions assertions;

	private IdentityAssertions uncached;

	private LeanUser user;

	private int signedIn;

	@Setup(Level.Trial)
	public void setUp() throws JOSEException {
		ECKey key = new ECKeyGenerator(Curve.P_256).keyID("bench").generate();
		IdentityKeys keys = new IdentityKeys(key, List.of());
		IdentityProperties properties = new IdentityProperties("https://iotorq-lean.com/lean-gateway", "lean-backends",
				Duration.ofMinutes(5), null, List.of());
		this.assertions = new IdentityAssertions(keys, properties, Clock.systemUTC());
		this.uncached = new IdentityAssertions(keys, properties, Clock.systemUTC());
		this.user = user(Instant.now());
		this.assertions.assertionFor(this.user);
	}

	static LeanUser user(Instant signedInAt) {
		String issuer = "https://login.microsoftonline.com/3f6c2a1e-8b4d-4c7e-9f1a-2b3c4d5e6f70/v2.0";
		OidcIdToken token = new OidcIdToken("eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.e30.sig", signedInAt,
				signedInAt.plusSeconds(3600),
				Map.of("sub", "AAAAAAAAAAAAAAAAAAAAAIkzqFVrSaSaFHy782bbtaQ", "iss", issuer, "aud",
						"9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d", "tid", "3f6c2a1e-8b4d-4c7e-9f1a-2b3c4d5e6f70", "oid",
						"0b5e2c1a-7d4f-4e8b-9a6c-3f2d1e0b9a87", "email", "bench.user@acme.example", "name",
						"Bench User"));
		Account account = new Account(UUID.randomUUID(), UUID.randomUUID(), "bench.user@acme.example", "Bench User",
				Account.Status.ACTIVE, "3f6c2a1e-8b4d-4c7e-9f1a-2b3c4d5e6f70", "0b5e2c1a-7d4f-4e8b-9a6c-3f2d1e0b9a87",
				signedInAt, signedInAt);
		return new LeanUser(token, account, "acme", account.tenantId(), 1L, "3f6c2a1e-8b4d-4c7e-9f1a-2b3c4d5e6f70",
				"0b5e2c1a-7d4f-4e8b-9a6c-3f2d1e0b9a87", signedInAt);
	}

	@Benchmark
	public String assertionCached() {
		return this.assertions.assertionFor(this.user);
	}

	@Benchmark
	public String headerValueAscii() {
		return IdentityHeaders.headerValue(this.user.email());
	}

	@Benchmark
	public String headerValueUtf8() {
		return IdentityHeaders.headerValue("Zoë Ångström-Müller");
	}

	/** Every value {@code IdentityHeaders} puts on a signed-in request. */
	@Benchmark
	public void identityHeaders(Blackhole blackhole) {
		blackhole.consume(this.assertions.assertionFor(this.user));
		blackhole.consume(this.user.accountId().toString());
		blackhole.consume(IdentityHeaders.headerValue(this.user.email()));
		blackhole.consume(IdentityHeaders.headerValue(this.user.displayName()));
	}

	/**
	 * For comparison: an ES256 signature per request (a new session each time, so never
	 * cached).
	 */
	@Benchmark
	public String signUncached() {
		return this.uncached.assertionFor(user(Instant.EPOCH.plusSeconds(++this.signedIn)));
	}

}
