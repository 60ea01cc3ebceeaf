package com.iotorq.lean.gateway.test.entra;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

import com.nimbusds.jwt.JWTClaimsSet;

/**
 * An in-process imitation of Microsoft Entra ID (v2.0 endpoints, single-tenant apps),
 * served over real HTTP by Reactor Netty on {@code 127.0.0.1}, so the gateway under test
 * talks to it exactly as it would to {@code https://login.microsoftonline.com}.
 * <p>
 * Set the gateway's {@code lean.sso.entra.authority} to {@link #authority()}; each
 * {@link Directory} (an Entra tenant, keyed by its {@code tid}) then serves discovery,
 * authorize, token, keys, logout and admin-consent under {@code {authority}/{tid}/...},
 * and {@code {authority}/oidc/userinfo} stands in for Graph's userinfo. Errors carry
 * Entra's {@code AADSTS} codes and texts, in the same places Entra puts them: an HTML
 * page with no redirect, a redirect back with {@code error}, or token-endpoint JSON.
 * <p>
 * Every method is safe to call from the test thread while the server runs. One-shot hooks
 * ({@link #tamperNextIdToken}, {@link #nextIdTokenSigning}) affect the next ID token
 * minted by any directory.
 */
public final class TestEntra implements AutoCloseable {

	private static final String KEYS_PATH = "/discovery/v2.0/keys";

	private static final Reply KEYS_UNAVAILABLE = Reply.json(503, Map.of("error", "temporarily_unavailable"));

	private final Map<String, TestEntraDirectory> directories = new ConcurrentHashMap<>();

	private final List<Recorded> requests = new CopyOnWriteArrayList<>();

	private final EntraClock clock = new EntraClock();

	private final EntraKeys keys = new EntraKeys();

	private final IdTokenTampering tampering = new IdTokenTampering();

	private final AccessTokens accessTokens = new AccessTokens();

	private final EntraServer server;

	private volatile Duration delay = Duration.ZERO;

	private final Map<String, Duration> directoryDelays = new ConcurrentHashMap<>();

	private final Set<String> keyEndpointsDown = ConcurrentHashMap.newKeySet();

	private TestEntra(int port) {
		IdTokens idTokens = new IdTokens(this.keys, this.tampering, this.clock);
		EntraRouter router = new EntraRouter(this.directories::get, this::directory, this::authority, this.keys,
				idTokens, this.accessTokens, this.clock);
		this.server = EntraServer.start(port,
				request -> keyEndpointDown(request) ? KEYS_UNAVAILABLE : router.route(request), this.requests::add,
				this::delayFor);
	}

	/** Starts an imitation on a random free port of 127.0.0.1. */
	public static TestEntra start() {
		return new TestEntra(0);
	}

	/**
	 * Starts an imitation on the given port of 127.0.0.1 (for a local try-out with a
	 * fixed configuration).
	 */
	public static TestEntra start(int port) {
		return new TestEntra(port);
	}

	/**
	 * {@code http://127.0.0.1:<port>}, the value for the gateway's
	 * {@code lean.sso.entra.authority}.
	 */
	public URI authority() {
		return URI.create("http://127.0.0.1:" + this.server.port());
	}

	/** The directory (Entra tenant) with this {@code tid}, created empty on first use. */
	public Directory directory(String tid) {
		Objects.requireNonNull(tid, "tid");
		return this.directories.computeIfAbsent(tid, id -> new TestEntraDirectory(id, authority()));
	}

	/**
	 * Signs this user in to their directory: from now on every {@code /authorize} and
	 * {@code /adminconsent} request to that directory picks this user at once and
	 * redirects, without showing the account chooser. Stays in force until
	 * {@link #signOut()} or another {@code signInAs} for the same directory; Entra's
	 * logout endpoint does not end it.
	 */
	public void signInAs(User user) {
		TestEntraUser signedIn = (TestEntraUser) Objects.requireNonNull(user, "user");
		signedIn.directory().signIn(signedIn);
	}

	/**
	 * Ends every {@link #signInAs} session, so {@code /authorize} shows the account
	 * chooser again.
	 */
	public void signOut() {
		this.directories.values().forEach(TestEntraDirectory::signOut);
	}

	/**
	 * Edits the claims of the next ID token (one-shot). The function receives a builder
	 * holding the claims the token would have had and returns the claims to sign instead,
	 * e.g. {@code claims -> claims.claim("tid", "other").build()}.
	 */
	public void tamperNextIdToken(Function<JWTClaimsSet.Builder, JWTClaimsSet> edit) {
		this.tampering.editNextClaims(edit);
	}

	/** Signs the next ID token the given way (one-shot); see {@link Signing}. */
	public void nextIdTokenSigning(Signing signing) {
		this.keys.prepare(signing);
		this.tampering.signNextWith(signing);
	}

	/**
	 * Starts signing with a new RSA key: the one {@link Signing#UNKNOWN_KID} has been
	 * using, if any. The JWKS then lists the new key, plus the keys listed so far when
	 * {@code keepOldInJwks}.
	 */
	public void rotateKeys(boolean keepOldInJwks) {
		this.keys.rotate(keepOldInJwks);
	}

	/**
	 * Makes every endpoint answer only after this long (a hanging IdP);
	 * {@link Duration#ZERO} to stop.
	 */
	public void delay(Duration delay) {
		this.delay = Objects.requireNonNull(delay, "delay");
	}

	/**
	 * Makes the endpoints of one directory answer only after this long (one
	 * organisation's IdP hanging while the others answer); {@link Duration#ZERO} to stop.
	 */
	public void delay(String tid, Duration delay) {
		Objects.requireNonNull(delay, "delay");
		if (delay.isZero()) {
			this.directoryDelays.remove(tid);
		}
		else {
			this.directoryDelays.put(tid, delay);
		}
	}

	/**
	 * Makes the key endpoint (JWKS) of one directory answer 503 until
	 * {@link #keyEndpointUp}; its other endpoints keep working. The request is still
	 * recorded.
	 */
	public void keyEndpointDown(String tid) {
		this.keyEndpointsDown.add(Objects.requireNonNull(tid, "tid"));
	}

	/** Ends {@link #keyEndpointDown} for this directory. */
	public void keyEndpointUp(String tid) {
		this.keyEndpointsDown.remove(tid);
	}

	/** The requests to the key endpoint (JWKS) of one directory. */
	public List<Recorded> keyRequests(String tid) {
		return requestsTo("/" + tid + KEYS_PATH);
	}

	private boolean keyEndpointDown(Recorded request) {
		String path = request.path();
		return path.endsWith(KEYS_PATH) && path.length() > KEYS_PATH.length() + 1
				&& this.keyEndpointsDown.contains(path.substring(1, path.length() - KEYS_PATH.length()));
	}

	private Duration delayFor(Recorded request) {
		String path = request.path();
		int slash = path.indexOf('/', 1);
		Duration directory = (slash > 1) ? this.directoryDelays.get(path.substring(1, slash)) : null;
		return (directory != null && directory.compareTo(this.delay) > 0) ? directory : this.delay;
	}

	/**
	 * Moves this imitation's clock forward: codes expire after 10 minutes and ID tokens
	 * carry {@code iat}/{@code exp} of this clock.
	 */
	public void advanceClock(Duration by) {
		this.clock.advance(by);
	}

	/**
	 * Every request received so far, oldest first, recorded on arrival (before any
	 * {@link #delay}).
	 */
	public List<Recorded> requests() {
		return List.copyOf(this.requests);
	}

	/**
	 * The requests whose path ends with the given suffix, e.g.
	 * {@code "/oauth2/v2.0/token"}.
	 */
	public List<Recorded> requestsTo(String pathSuffix) {
		List<Recorded> matching = new ArrayList<>();
		this.requests.stream().filter(r -> r.path().endsWith(pathSuffix)).forEach(matching::add);
		return matching;
	}

	/** Forgets the recorded requests. */
	public void clearRequests() {
		this.requests.clear();
	}

	/** Stops the server. */
	@Override
	public void close() {
		this.server.close();
	}

	/** How to sign the next ID token. */
	public enum Signing {

		/** RS256 with the active key, whose {@code kid} is in the JWKS (the default). */
		NORMAL,

		/**
		 * RS256 with a key that is not in the JWKS, under the active key's {@code kid}:
		 * the signature fails.
		 */
		WRONG_KEY,

		/**
		 * An unsecured JWT: header {@code {"alg":"none"}}, empty signature
		 * ({@code header.payload.}).
		 */
		ALG_NONE,

		/**
		 * RS256 with the next key, whose {@code kid} is not in the JWKS until
		 * {@link TestEntra#rotateKeys(boolean)} publishes it.
		 */
		UNKNOWN_KID

	}

	/** A directory (Entra tenant) holding app registrations and users. */
	public interface Directory {

		/** The directory (tenant) id. */
		String tid();

		/** {@code {authority}/{tid}/v2.0}, the {@code iss} of its ID tokens. */
		String issuer();

		/**
		 * Sets the directory's display name (shown in some AADSTS texts; default "Default
		 * Directory").
		 */
		Directory name(String displayName);

		/**
		 * Registers an application (a single-tenant app registration with a client
		 * secret). Redirect URIs must match the authorize request exactly, trailing slash
		 * included.
		 * @throws IllegalStateException if the client id is already registered in this
		 * directory
		 */
		App registerApp(String clientId, String secret, String... redirectUris);

		/**
		 * Registers an app as the Entra admin center does: a new client id, one Web
		 * redirect URI, single tenant, and a new client secret valid for 730 days (the
		 * help article's steps 4 to 6). Also at {@code {authority}/admin-center} as a
		 * form.
		 */
		Registration newRegistration(String name, String redirectUri);

		/**
		 * Adds a user. {@code preferred_username} (the UPN) is the email until
		 * {@link User#upn} changes it.
		 * @throws IllegalStateException if the object id is already taken in this
		 * directory
		 */
		User addUser(String oid, String email, String displayName);

	}

	/**
	 * An app registration and its enterprise application (service principal) in one
	 * directory.
	 */
	public interface App {

		String clientId();

		/** The display name used in AADSTS texts (default "ioTORQ LEAN"). */
		App name(String displayName);

		/** Replaces the client secret value (a new secret, not expired). */
		App secret(String value);

		/**
		 * Adds another client secret beside the current ones, as "+ New client secret" in
		 * the admin center does: every one of them is accepted (a renewal keeps the old
		 * secret working until it is replaced).
		 */
		App addSecret(String value);

		/**
		 * Whether the client secret has passed its expiry: the token endpoint then
		 * answers AADSTS7000222.
		 */
		App secretExpired(boolean expired);

		/**
		 * "Assignment required?" of the enterprise application: unassigned users get
		 * AADSTS50105.
		 */
		App requireAssignment(boolean required);

		/**
		 * Whether sign-in needs admin consent: until it is granted users get AADSTS65001.
		 */
		App requireAdminConsent(boolean required);

		/**
		 * Grants admin consent, as an administrator would in the portal or through
		 * {@code /adminconsent}.
		 */
		App grantAdminConsent();

		/** Whether admin consent has been granted. */
		boolean adminConsented();

		/** Assigns a user of the same directory to the app. */
		App assign(User user);

		/**
		 * Uploads a certificate under Certificates &amp; secrets → Certificates (DER, as
		 * a {@code .cer} file, or PEM); client assertions signed with its key then
		 * authenticate the app. Also {@code POST
		 * {authority}/_control/{tid}/apps/{clientId}/certificates} with form field
		 * {@code certificate}.
		 * @return its thumbprint (SHA-1, upper-case hex), as the portal lists it
		 */
		String uploadCertificate(byte[] derOrPem);

		/**
		 * Deletes the uploaded certificate with this thumbprint; {@code false} if there
		 * was none.
		 */
		boolean removeCertificate(String thumbprint);

		/** The thumbprints of the uploaded certificates, in upload order. */
		java.util.List<String> certificateThumbprints();

	}

	/**
	 * What the admin center shows after registering an app and adding a secret.
	 *
	 * @param app the registration
	 * @param name its display name
	 * @param clientId Application (client) ID
	 * @param tid Directory (tenant) ID
	 * @param secretValue the client secret's Value (shown once)
	 * @param secretId the client secret's Secret ID (a GUID: the help article's common
	 * mistake)
	 * @param secretExpiresOn the secret's expiry date, YYYY-MM-DD
	 */
	public record Registration(App app, String name, String clientId, String tid, String secretValue, String secretId,
			String secretExpiresOn) {
	}

	/** A user of one directory. */
	public interface User {

		String oid();

		/** The display name ({@code name} claim). */
		String name();

		/** The {@code email} claim, or {@code null}. */
		String email();

		/** The {@code preferred_username} claim. */
		String upn();

		/**
		 * The {@code email} claim; {@code null} omits it, as Entra does for users without
		 * a mailbox.
		 */
		User email(String email);

		/** The {@code preferred_username} claim (the UPN). */
		User upn(String upn);

		/**
		 * An extra claim of this user's ID tokens, e.g. {@code acct} (1 for a guest) or
		 * {@code xms_edov}; {@code null} removes it.
		 */
		User claim(String name, Object value);

	}

	/**
	 * A request as received.
	 *
	 * @param at when it arrived (wall clock)
	 * @param method the HTTP method
	 * @param path the decoded path, e.g. {@code /6f1c.../oauth2/v2.0/token}
	 * @param query decoded query parameters
	 * @param form decoded {@code application/x-www-form-urlencoded} body parameters
	 * (empty otherwise)
	 * @param headers every header, by name as sent
	 */
	public record Recorded(Instant at, String method, String path, Map<String, List<String>> query,
			Map<String, List<String>> form, Map<String, List<String>> headers) {

		/** The first value of a query parameter, or {@code null}. */
		public String query(String name) {
			return first(this.query.get(name));
		}

		/** The first value of a form parameter, or {@code null}. */
		public String form(String name) {
			return first(this.form.get(name));
		}

		/** A form parameter, else the query parameter of that name, or {@code null}. */
		public String param(String name) {
			String value = form(name);
			return (value != null) ? value : query(name);
		}

		/**
		 * The first value of a header, whatever the case of its name, or {@code null}.
		 */
		public String header(String name) {
			return this.headers.entrySet()
				.stream()
				.filter(e -> e.getKey().equalsIgnoreCase(name))
				.map(e -> first(e.getValue()))
				.findFirst()
				.orElse(null);
		}

		private static String first(List<String> values) {
			return (values == null || values.isEmpty()) ? null : values.get(0);
		}

	}

}
