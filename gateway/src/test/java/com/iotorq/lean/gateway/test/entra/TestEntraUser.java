package com.iotorq.lean.gateway.test.entra;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/** A user of a {@link TestEntraDirectory}. Thread-safe. */
final class TestEntraUser implements TestEntra.User {

	private final TestEntraDirectory directory;

	private final String oid;

	private final String name;

	private volatile String email;

	private volatile String upn;

	private final Map<String, Object> claims = new ConcurrentHashMap<>();

	TestEntraUser(TestEntraDirectory directory, String oid, String email, String name) {
		this.directory = directory;
		this.oid = Objects.requireNonNull(oid, "oid");
		this.name = Objects.requireNonNull(name, "name");
		this.email = email;
		this.upn = email;
	}

	@Override
	public String oid() {
		return this.oid;
	}

	@Override
	public String name() {
		return this.name;
	}

	@Override
	public String email() {
		return this.email;
	}

	@Override
	public String upn() {
		return this.upn;
	}

	@Override
	public TestEntraUser email(String email) {
		this.email = email;
		return this;
	}

	@Override
	public TestEntraUser upn(String upn) {
		this.upn = upn;
		return this;
	}

	@Override
	public TestEntraUser claim(String name, Object value) {
		if (value == null) {
			this.claims.remove(name);
		}
		else {
			this.claims.put(name, value);
		}
		return this;
	}

	/** The extra claims set with {@link #claim}. */
	Map<String, Object> claims() {
		return Map.copyOf(this.claims);
	}

	TestEntraDirectory directory() {
		return this.directory;
	}

	/** The display name without its last word (Graph's {@code given_name}). */
	String givenName() {
		int space = this.name.lastIndexOf(' ');
		return (space < 0) ? this.name : this.name.substring(0, space);
	}

	/**
	 * The last word of the display name (Graph's {@code family_name}), or {@code null}
	 * for a single word.
	 */
	String familyName() {
		int space = this.name.lastIndexOf(' ');
		return (space < 0) ? null : this.name.substring(space + 1);
	}

	/**
	 * The pairwise {@code sub} this user has towards one app: base64url(SHA-256(oid +
	 * clientId)).
	 */
	String pairwiseSubject(String clientId) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256")
				.digest((this.oid + clientId).getBytes(StandardCharsets.UTF_8));
			return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
