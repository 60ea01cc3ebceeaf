package com.iotorq.lean.gateway.test.entra;

import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import com.nimbusds.jose.util.Base64URL;

/** An app registration of a {@link TestEntraDirectory}. Thread-safe. */
final class TestEntraApp implements TestEntra.App {

	private final TestEntraDirectory directory;

	private final String clientId;

	private final List<String> redirectUris;

	private final Set<String> assignedOids = ConcurrentHashMap.newKeySet();

	private final List<AppCertificate> certificates = new CopyOnWriteArrayList<>();

	private volatile String name = "ioTORQ LEAN";

	private volatile String secret;

	/**
	 * Further secrets added beside the first, as the admin center's "+ New client secret"
	 * does.
	 */
	private final Set<String> moreSecrets = ConcurrentHashMap.newKeySet();

	private volatile boolean secretExpired;

	private volatile boolean assignmentRequired;

	private volatile boolean adminConsentRequired;

	private volatile boolean adminConsented;

	TestEntraApp(TestEntraDirectory directory, String clientId, String secret, List<String> redirectUris) {
		this.directory = directory;
		this.clientId = Objects.requireNonNull(clientId, "clientId");
		this.secret = Objects.requireNonNull(secret, "secret");
		this.redirectUris = List.copyOf(redirectUris);
	}

	@Override
	public String clientId() {
		return this.clientId;
	}

	@Override
	public TestEntraApp name(String displayName) {
		this.name = displayName;
		return this;
	}

	@Override
	public TestEntraApp secret(String value) {
		this.secret = Objects.requireNonNull(value, "value");
		this.secretExpired = false;
		return this;
	}

	@Override
	public TestEntraApp addSecret(String value) {
		this.moreSecrets.add(Objects.requireNonNull(value, "value"));
		return this;
	}

	@Override
	public TestEntraApp secretExpired(boolean expired) {
		this.secretExpired = expired;
		return this;
	}

	@Override
	public TestEntraApp requireAssignment(boolean required) {
		this.assignmentRequired = required;
		return this;
	}

	@Override
	public TestEntraApp requireAdminConsent(boolean required) {
		this.adminConsentRequired = required;
		return this;
	}

	@Override
	public TestEntraApp grantAdminConsent() {
		this.adminConsented = true;
		return this;
	}

	@Override
	public boolean adminConsented() {
		return this.adminConsented;
	}

	@Override
	public TestEntraApp assign(TestEntra.User user) {
		TestEntraUser member = (TestEntraUser) Objects.requireNonNull(user, "user");
		if (member.directory() != this.directory) {
			throw new IllegalArgumentException("user " + member.oid() + " is not in directory " + this.directory.tid());
		}
		this.assignedOids.add(member.oid());
		return this;
	}

	@Override
	public String uploadCertificate(byte[] derOrPem) {
		AppCertificate certificate = AppCertificate.parse(derOrPem);
		if (certificate(certificate.x5tS256(), null) == null) {
			this.certificates.add(certificate);
		}
		return certificate.thumbprint();
	}

	@Override
	public boolean removeCertificate(String thumbprint) {
		return this.certificates.removeIf(certificate -> certificate.thumbprint().equalsIgnoreCase(thumbprint));
	}

	@Override
	public List<String> certificateThumbprints() {
		return this.certificates.stream().map(AppCertificate::thumbprint).toList();
	}

	/**
	 * The uploaded certificate with this {@code x5t#S256}, else with this {@code x5t};
	 * {@code null} if none.
	 */
	AppCertificate certificate(Base64URL x5tS256, Base64URL x5t) {
		for (AppCertificate certificate : this.certificates) {
			if ((x5tS256 != null && x5tS256.equals(certificate.x5tS256()))
					|| (x5tS256 == null && x5t != null && x5t.equals(certificate.x5t()))) {
				return certificate;
			}
		}
		return null;
	}

	String displayName() {
		return this.name;
	}

	/**
	 * Whether this exact string is a registered redirect URI (case and trailing slash
	 * matter).
	 */
	boolean registered(String redirectUri) {
		return this.redirectUris.contains(redirectUri);
	}

	/**
	 * The first registered redirect URI, which Entra may use when a request names none.
	 */
	String defaultRedirectUri() {
		return this.redirectUris.isEmpty() ? null : this.redirectUris.get(0);
	}

	boolean secretMatches(String candidate) {
		return this.secret.equals(candidate) || (candidate != null && this.moreSecrets.contains(candidate));
	}

	boolean secretExpired() {
		return this.secretExpired;
	}

	/** Whether this user may sign in, given "Assignment required?". */
	boolean admits(TestEntraUser user) {
		return !this.assignmentRequired || this.assignedOids.contains(user.oid());
	}

	/** Whether sign-in is blocked until an administrator consents. */
	boolean lacksConsent() {
		return this.adminConsentRequired && !this.adminConsented;
	}

}
