package com.iotorq.lean.gateway.test.entra;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import com.nimbusds.jwt.JWTClaimsSet;

/**
 * The one-shot edits of the next ID token: its claims and the way it is signed.
 * Thread-safe.
 */
final class IdTokenTampering {

	private final AtomicReference<Function<JWTClaimsSet.Builder, JWTClaimsSet>> claimsEdit = new AtomicReference<>();

	private final AtomicReference<TestEntra.Signing> signing = new AtomicReference<>();

	void editNextClaims(Function<JWTClaimsSet.Builder, JWTClaimsSet> edit) {
		this.claimsEdit.set(Objects.requireNonNull(edit, "edit"));
	}

	void signNextWith(TestEntra.Signing how) {
		this.signing.set(Objects.requireNonNull(how, "signing"));
	}

	/**
	 * The claims to sign: the pending edit applied to {@code claims} (and consumed), else
	 * {@code claims} as built.
	 */
	JWTClaimsSet claims(JWTClaimsSet.Builder claims) {
		Function<JWTClaimsSet.Builder, JWTClaimsSet> edit = this.claimsEdit.getAndSet(null);
		return (edit != null) ? edit.apply(claims) : claims.build();
	}

	/** The pending signing (consumed), else {@link TestEntra.Signing#NORMAL}. */
	TestEntra.Signing signing() {
		TestEntra.Signing how = this.signing.getAndSet(null);
		return (how != null) ? how : TestEntra.Signing.NORMAL;
	}

}
