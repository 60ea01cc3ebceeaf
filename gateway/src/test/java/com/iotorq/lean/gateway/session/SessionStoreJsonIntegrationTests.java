package com.iotorq.lean.gateway.session;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.redis.serializer.JdkSerializationRedisSerializer;
import org.springframework.test.context.TestPropertySource;

import com.iotorq.lean.gateway.account.LeanUser;
import com.iotorq.lean.gateway.test.SignInTestSupport;
import com.iotorq.lean.gateway.test.TestBrowser;
import com.iotorq.lean.gateway.test.TestRedis;
import com.iotorq.lean.gateway.test.entra.TestEntra;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real sign-in stored in Redis: every stored value is JSON naming allowed types, never
 * Java serialization; a value that cannot be read (garbage, Java-serialized from before,
 * another type) signs the person out instead of failing their requests.
 */
@TestPropertySource(properties = "lean.session.store=redis")
class SessionStoreJsonIntegrationTests extends SignInTestSupport {

	private static final String COOKIE = "LEAN_SESSION";

	private static final String SECURITY_CONTEXT = "sessionAttr:SPRING_SECURITY_CONTEXT";

	@org.springframework.beans.factory.annotation.Autowired
	private SessionNearCache nearCache;

	private RedisClient client;

	private StatefulRedisConnection<byte[], byte[]> redis;

	private Org acme;

	private TestEntra.User ada;

	@BeforeEach
	void setUp() {
		TestRedis test = TestRedis.get();
		this.client = RedisClient.create(RedisURI.create(test.host(), test.port()));
		this.redis = this.client.connect(ByteArrayCodec.INSTANCE);
		this.acme = organisation();
		this.ada = person(this.acme, "Ada Lovelace");
	}

	@AfterEach
	void tearDown() {
		this.redis.close();
		this.client.shutdown();
	}

	@Test
	void signedInSessionWhenStoredThenEveryValueIsJsonAndNoneJavaSerialized() {
		signIn(this.acme, this.ada, "/");
		Map<byte[], byte[]> stored = this.redis.sync().hgetall(sessionKey());
		assertThat(stored).isNotEmpty();

		Map<String, byte[]> values = new java.util.TreeMap<>();
		stored.forEach((field, value) -> values.put(new String(field, StandardCharsets.UTF_8), value));
		assertThat(values).containsKey(SECURITY_CONTEXT);
		values.forEach((field, value) -> {
			assertThat(value.length > 1 && value[0] == (byte) 0xAC && value[1] == (byte) 0xED)
				.as(field + " is Java-serialized")
				.isFalse();
			assertThat(JsonMapper.shared().readTree(value)).as(field).isNotNull();
		});
		JsonNode context = JsonMapper.shared().readTree(values.get(SECURITY_CONTEXT));
		assertThat(context.at("/authentication/principal/@class").asString()).isEqualTo(LeanUser.class.getName());
		assertThat(context.at("/authentication/principal/email").asString()).isEqualTo(this.ada.email());
		// and it is read back: still signed in
		assertThat(this.browser.get(this.acme.url("/mine")).status()).isEqualTo(200);
	}

	/**
	 * The allow-list names exactly what real sessions hold: each class a stored value
	 * names is on it.
	 */
	@Test
	void pendingAndSignedInSessionsWhenStoredThenEveryTypeNamedIsOnTheList() {
		entra.signInAs(this.ada);
		TestBrowser.Response login = this.browser.get(this.acme.url("/oauth/login?next=/x"));
		java.util.Set<String> named = new java.util.TreeSet<>(typesNamed(sessionKey()));
		TestBrowser.Response callback = this.browser.follow(this.browser.follow(login));
		assertThat(callback.location()).isEqualTo("/x");
		named.addAll(typesNamed(sessionKey()));

		assertThat(named).contains("org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest",
				LeanUser.class.getName());
		assertThat(SessionTypes.ALLOWED).containsAll(named);
	}

	/**
	 * Entra's group overage puts JSON objects into the ID token ({@code _claim_names},
	 * {@code _claim_sources}); the JWT library parses them into a map class of its own,
	 * which the store must not be asked to name.
	 */
	@Test
	void signedInSessionWhenIdTokenHasNestedObjectsThenStoredAsPlainMapsAndStillSignedIn() {
		TestEntra.User grace = person(this.acme, "Grace Hopper").claim("_claim_names", Map.of("groups", "src1"))
			.claim("_claim_sources",
					Map.of("src1", Map.of("endpoint", "https://graph.microsoft.com/v1.0/users/x/getMemberObjects")));
		assertThat(signIn(this.acme, grace, "/").location()).isEqualTo("/");

		assertThat(this.browser.get(this.acme.url("/mine")).status()).isEqualTo(200);
		assertThat(backend.last().header("X-Lean-User-Email")).containsExactly(grace.email());
		assertThat(SessionTypes.ALLOWED).containsAll(typesNamed(sessionKey()));
	}

	private java.util.List<String> typesNamed(byte[] key) {
		java.util.regex.Pattern className = java.util.regex.Pattern
			.compile("\"((?:[a-z][a-z0-9_]*\\.)+[A-Z][A-Za-z0-9_$]*)\"");
		java.util.List<String> names = new java.util.ArrayList<>();
		this.redis.sync().hgetall(key).values().forEach(value -> {
			java.util.regex.Matcher matcher = className.matcher(new String(value, StandardCharsets.UTF_8));
			while (matcher.find()) {
				names.add(matcher.group(1));
			}
		});
		return names;
	}

	@Test
	void storedValueWhenJavaSerializedFromBeforeThenBrowserSentToSignInAndSessionDeleted() {
		assertSignedOutAfterPlanting(
				new JdkSerializationRedisSerializer().serialize(new java.util.HashMap<>(Map.of("a", "b"))), false);
	}

	@Test
	void storedValueWhenGarbageThenApiGets401AsWithoutSession() {
		assertSignedOutAfterPlanting("\u0000garbage{".getBytes(StandardCharsets.UTF_8), true);
	}

	@Test
	void storedValueWhenNamingAnotherTypeThenRefusedAndSignedOut() {
		assertSignedOutAfterPlanting(
				"{\"@class\":\"javax.script.ScriptEngineManager\"}".getBytes(StandardCharsets.UTF_8), false);
	}

	private void assertSignedOutAfterPlanting(byte[] value, boolean api) {
		signIn(this.acme, this.ada, "/");
		assertThat(this.browser.get(this.acme.url("/mine")).status()).isEqualTo(200);
		byte[] key = sessionKey();
		this.redis.sync().hset(key, SECURITY_CONTEXT.getBytes(StandardCharsets.UTF_8), value);
		// as every writer of sessions must: the replicas' near caches forget the session
		String id = this.browser.cookie(this.acme.host(), COOKIE);
		this.redis.sync()
			.publish((TestRedis.get().namespace() + ":session:invalidated").getBytes(StandardCharsets.UTF_8),
					id.getBytes(StandardCharsets.UTF_8));
		org.awaitility.Awaitility.await()
			.atMost(SessionNearCache.MAX_INVALIDATION_DELAY)
			.until(() -> this.nearCache.get(id) == null);

		if (api) {
			TestBrowser.Response answer = this.browser.get(this.acme.url("/api/mine"),
					Map.of("Accept", "application/json"));
			assertThat(answer.status()).isEqualTo(401);
			assertThat(answer.header("Content-Type")).startsWith("application/problem+json");
		}
		else {
			TestBrowser.Response answer = this.browser.get(this.acme.url("/mine"));
			assertThat(answer.status()).isEqualTo(302);
			assertThat(answer.location()).startsWith("/oauth/login");
		}
		assertThat(this.redis.sync().exists(key)).isZero();
		// signing in again works
		assertThat(signIn(this.acme, this.ada, "/").location()).isEqualTo("/");
		assertThat(this.browser.get(this.acme.url("/mine")).status()).isEqualTo(200);
	}

	private byte[] sessionKey() {
		String id = this.browser.cookie(this.acme.host(), COOKIE);
		assertThat(id).isNotBlank();
		return (TestRedis.get().namespace() + ":session:sessions:" + id).getBytes(StandardCharsets.UTF_8);
	}

}
