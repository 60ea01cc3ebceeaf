package com.iotorq.lean.gateway.session;

import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.redis.serializer.JdkSerializationRedisSerializer;
import org.springframework.data.redis.serializer.SerializationException;
import org.springframework.security.core.context.SecurityContextImpl;
import org.springframework.security.oauth2.client.authentication.OAuth2AuthenticationToken;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;
import org.springframework.security.oauth2.core.oidc.OidcIdToken;
import org.springframework.util.ReflectionUtils;

import com.iotorq.lean.gateway.account.Account;
import com.iotorq.lean.gateway.account.LeanUser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class SessionJsonSerializerTests {

	static final Instant SIGNED_IN = Instant.parse("2026-12-03T09:00:00.123456Z");

	private final SessionJsonSerializer serializer = new SessionJsonSerializer();

	@Test
	void securityContextWhenWrittenThenJsonNotJavaSerializationAndReadBackEqual() {
		LeanUser user = user();
		var context = new SecurityContextImpl(new OAuth2AuthenticationToken(user, user.getAuthorities(), "acme"));

		byte[] bytes = this.serializer.serialize(context);

		assertThat(bytes[0]).isNotEqualTo((byte) 0xAC);
		assertThat(JsonMapper.shared().readTree(bytes).get("@class").asString())
			.isEqualTo(SecurityContextImpl.class.getName());
		SecurityContextImpl read = (SecurityContextImpl) this.serializer.deserialize(bytes);
		assertThat(read).isEqualTo(context);
		assertThat(read.getAuthentication().getPrincipal()).isInstanceOf(LeanUser.class);
		assertThat(((OAuth2AuthenticationToken) read.getAuthentication()).getAuthorizedClientRegistrationId())
			.isEqualTo("acme");
	}

	/**
	 * Fails when a field of LeanUser is added without being stored (see LeanUserJson).
	 */
	@Test
	void leanUserWhenReadBackThenEveryFieldAndTheIdTokenAreKept() {
		LeanUser user = user();
		LeanUser read = (LeanUser) this.serializer.deserialize(this.serializer.serialize(user));

		for (Field field : LeanUser.class.getDeclaredFields()) {
			if (Modifier.isStatic(field.getModifiers())) {
				continue;
			}
			ReflectionUtils.makeAccessible(field);
			Object original = ReflectionUtils.getField(field, user);
			assertThat(original).as("the test user sets " + field.getName()).isNotNull();
			assertThat(ReflectionUtils.getField(field, read)).as(field.getName()).isEqualTo(original);
		}
		assertThat(read.getIdToken().getTokenValue()).isEqualTo(user.getIdToken().getTokenValue());
		assertThat(read.getIdToken().getClaims()).isEqualTo(user.getIdToken().getClaims());
		assertThat(read.getAuthorities()).isEqualTo(user.getAuthorities());
		assertThat(read.getName()).isEqualTo(user.getName());
		assertThat(read.idpIssuer()).isEqualTo(user.idpIssuer());
		assertThat(read).isEqualTo(user);
	}

	@Test
	void pendingSignInsWhenReadBackThenEqual() {
		OAuth2AuthorizationRequest request = OAuth2AuthorizationRequest.authorizationCode()
			.authorizationUri("https://login.example/tid/oauth2/v2.0/authorize")
			.clientId("client")
			.redirectUri("https://acme.example/oauth/complete/")
			.scopes(java.util.Set.of("openid", "email"))
			.state("state=")
			.additionalParameters(Map.of("nonce", "n-0S6", "domain_hint", "acme.example"))
			.attributes(attributes -> {
				attributes.put("registration_id", "acme");
				attributes.put("lean_next", "/reports?x=1");
			})
			.build();
		LinkedHashMap<String, OAuth2AuthorizationRequest> pending = new LinkedHashMap<>();
		pending.put(request.getState(), request);

		@SuppressWarnings("unchecked")
		Map<String, OAuth2AuthorizationRequest> read = (Map<String, OAuth2AuthorizationRequest>) this.serializer
			.deserialize(this.serializer.serialize(pending));

		OAuth2AuthorizationRequest back = read.get("state=");
		assertThat(back.getAuthorizationRequestUri()).isEqualTo(request.getAuthorizationRequestUri());
		assertThat(back.getAttributes()).isEqualTo(request.getAttributes());
		assertThat(back.getAdditionalParameters()).isEqualTo(request.getAdditionalParameters());
		assertThat(back.getScopes()).isEqualTo(request.getScopes());
	}

	@Test
	void gatewayRecordsWhenReadBackThenEqual() throws Exception {
		Object consent = record("com.iotorq.lean.gateway.sso.pages.AdminConsentFlow$Pending", "state", "acme",
				SIGNED_IN);
		Object activation = record("com.iotorq.lean.gateway.activation.AccountActivation$PendingAccount", "acme",
				UUID.randomUUID(), "a***@acme.example");

		assertThat(this.serializer.deserialize(this.serializer.serialize(consent))).isEqualTo(consent);
		assertThat(this.serializer.deserialize(this.serializer.serialize(activation))).isEqualTo(activation);
	}

	@Test
	void plainValuesWhenReadBackThenSameTypeAndValue() {
		for (Object value : List.of(1_700_000_000_000L, 5L, 1800, true, "chosen")) {
			assertThat(this.serializer.deserialize(this.serializer.serialize(value))).isEqualTo(value);
		}
		assertThat(this.serializer.serialize(null)).isEmpty();
		assertThat(this.serializer.deserialize(new byte[0])).isNull();
	}

	@Test
	void deserializeWhenValueNamesAnotherTypeThenRefusedWithoutLoadingIt() {
		String name = Tripwire.class.getName();
		byte[] bytes = ("{\"@class\":\"" + name + "\",\"armed\":true}").getBytes(StandardCharsets.UTF_8);

		assertThatExceptionOfType(SerializationException.class).isThrownBy(() -> this.serializer.deserialize(bytes))
			.withMessageContaining(name);
		assertThat(tripped).isFalse();
		// nested, in place of the principal
		String nested = new String(
				this.serializer.serialize(new SecurityContextImpl(
						new OAuth2AuthenticationToken(user(), user().getAuthorities(), "acme"))),
				StandardCharsets.UTF_8)
			.replace(LeanUser.class.getName(), name);
		assertThatExceptionOfType(SerializationException.class)
			.isThrownBy(() -> this.serializer.deserialize(nested.getBytes(StandardCharsets.UTF_8)));
		assertThat(tripped).isFalse();
	}

	/**
	 * Loading a class runs its static initializer: {@code FileSystemPreferences}' starts
	 * a timer thread (and loads native code). A JDK name outside the list is refused by
	 * its name alone.
	 */
	@Test
	void deserializeWhenValueNamesAnotherJdkClassThenRefusedWithoutInitializingIt() {
		String name = "java.util.prefs.FileSystemPreferences";
		java.util.Set<Thread> timers = timerThreads();
		assertThat(new SessionTypes().validateSubClassName(null, null, name))
			.isEqualTo(tools.jackson.databind.jsontype.PolymorphicTypeValidator.Validity.DENIED);

		for (String json : List.of("{\"@class\":\"" + name + "\"}",
				"[\"java.util.ArrayList\",[{\"@class\":\"" + name + "\"}]]",
				"{\"@class\":\"java.util.prefs.Preferences\"}",
				"{\"@class\":\"java.util.concurrent.ConcurrentHashMap\"}")) {
			assertThatExceptionOfType(SerializationException.class)
				.isThrownBy(() -> this.serializer.deserialize(json.getBytes(StandardCharsets.UTF_8)))
				.withMessageContaining("java.util.");
		}
		assertThat(timerThreads()).as("timer threads started").isEqualTo(timers);
	}

	private static java.util.Set<Thread> timerThreads() {
		return Thread.getAllStackTraces()
			.keySet()
			.stream()
			.filter(thread -> thread.getClass().getName().equals("java.util.TimerThread"))
			.collect(java.util.stream.Collectors.toSet());
	}

	@Test
	void deserializeWhenJavaSerializedOrGarbageThenSerializationException() {
		byte[] jdk = new JdkSerializationRedisSerializer().serialize(new LinkedHashMap<>(Map.of("a", "b")));
		assertThat(jdk[0]).isEqualTo((byte) 0xAC);

		for (byte[] bytes : List.of(jdk, "not json".getBytes(StandardCharsets.UTF_8),
				"{\"a\":1}".getBytes(StandardCharsets.UTF_8))) {
			assertThatExceptionOfType(SerializationException.class)
				.isThrownBy(() -> this.serializer.deserialize(bytes));
		}
	}

	static LeanUser user() {
		OidcIdToken token = OidcIdToken.withTokenValue("eyJ.token.value")
			.subject("sub-123")
			.issuer("https://login.example/tid/v2.0")
			.audience(List.of("client"))
			.issuedAt(SIGNED_IN)
			.expiresAt(SIGNED_IN.plusSeconds(3600))
			.claim("tid", "tid")
			.claim("oid", "oid")
			.claim("acct", 0L)
			.claim("xms_edov", true)
			.claim("groups", List.of("g1", "g2"))
			.claim("nonce", "n-0S6")
			.build();
		Account account = new Account(UUID.randomUUID(), UUID.randomUUID(), "ada@acme.example", "Ada Lovelace",
				Account.Status.ACTIVE, "tid", "oid", SIGNED_IN, SIGNED_IN);
		return new LeanUser(token, account, "acme", account.tenantId(), 42L, "tid", "oid", SIGNED_IN);
	}

	private static Object record(String className, Object... components) throws Exception {
		Constructor<?> constructor = Class.forName(className).getDeclaredConstructors()[0];
		constructor.setAccessible(true);
		return constructor.newInstance(components);
	}

	/** Whether {@link Tripwire} was ever initialized (its static initializer ran). */
	static final java.util.concurrent.atomic.AtomicBoolean tripped = new java.util.concurrent.atomic.AtomicBoolean();

	/** A class no stored value may name. */
	static final class Tripwire {

		static {
			tripped.set(true);
		}

		public boolean armed;

	}

}
