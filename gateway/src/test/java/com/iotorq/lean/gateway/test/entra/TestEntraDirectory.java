package com.iotorq.lean.gateway.test.entra;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A directory (Entra tenant) of {@link TestEntra}: its app registrations, its users, the
 * authorization codes it issued, and the user signed in through
 * {@link TestEntra#signInAs}. Thread-safe.
 */
final class TestEntraDirectory implements TestEntra.Directory {

	private final String tid;

	private final URI authority;

	private final Map<String, TestEntraApp> apps = new ConcurrentHashMap<>();

	private final List<TestEntraUser> users = new CopyOnWriteArrayList<>();

	private final AuthorizationCodes codes = new AuthorizationCodes();

	private volatile String name = "Default Directory";

	private volatile TestEntraUser signedIn;

	TestEntraDirectory(String tid, URI authority) {
		this.tid = tid;
		this.authority = authority;
	}

	@Override
	public String tid() {
		return this.tid;
	}

	@Override
	public String issuer() {
		return endpoint("/v2.0");
	}

	@Override
	public TestEntraDirectory name(String displayName) {
		this.name = displayName;
		return this;
	}

	@Override
	public TestEntraApp registerApp(String clientId, String secret, String... redirectUris) {
		TestEntraApp app = new TestEntraApp(this, clientId, secret, List.of(redirectUris));
		if (this.apps.putIfAbsent(clientId, app) != null) {
			throw new IllegalStateException("app " + clientId + " is already registered in directory " + this.tid);
		}
		return app;
	}

	@Override
	public TestEntra.Registration newRegistration(String name, String redirectUri) {
		String clientId = EntraIds.uuid();
		// Entra's secret values are 40 characters with a '~' in them; their ids are GUIDs
		String value = EntraIds.opaque(15).substring(0, 3) + "8Q~" + EntraIds.opaque(30).substring(0, 34);
		TestEntraApp app = registerApp(clientId, value, redirectUri).name(name);
		return new TestEntra.Registration(app, name, clientId, this.tid, value, EntraIds.uuid(),
				java.time.LocalDate.now().plusDays(730).toString());
	}

	@Override
	public synchronized TestEntraUser addUser(String oid, String email, String displayName) {
		if (user(oid) != null) {
			throw new IllegalStateException("user " + oid + " already exists in directory " + this.tid);
		}
		TestEntraUser user = new TestEntraUser(this, oid, email, displayName);
		this.users.add(user);
		return user;
	}

	/** The directory's display name. */
	String displayName() {
		return this.name;
	}

	/** The app registered under this client id, or {@code null}. */
	TestEntraApp app(String clientId) {
		return (clientId != null) ? this.apps.get(clientId) : null;
	}

	/** The user with this object id, or {@code null}. */
	TestEntraUser user(String oid) {
		return this.users.stream().filter(u -> u.oid().equals(oid)).findFirst().orElse(null);
	}

	/** Every user, in the order they were added. */
	List<TestEntraUser> users() {
		return List.copyOf(this.users);
	}

	/** The authorization codes issued in this directory. */
	AuthorizationCodes codes() {
		return this.codes;
	}

	/** The user signed in by {@link TestEntra#signInAs}, or {@code null}. */
	TestEntraUser signedIn() {
		return this.signedIn;
	}

	void signIn(TestEntraUser user) {
		this.signedIn = user;
	}

	void signOut() {
		this.signedIn = null;
	}

	/** The authority of the imitation serving this directory. */
	URI authority() {
		return this.authority;
	}

	/** {@code {authority}/{tid}{path}}. */
	String endpoint(String path) {
		return this.authority + "/" + this.tid + path;
	}

}
