package com.iotorq.lean.gateway.sso.login;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpCookie;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.mock.web.server.MockWebSession;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextImpl;
import org.springframework.security.oauth2.client.authentication.OAuth2AuthenticationToken;
import org.springframework.security.oauth2.core.oidc.OidcIdToken;
import org.springframework.security.web.server.context.WebSessionServerSecurityContextRepository;
import org.springframework.web.server.session.CookieWebSessionIdResolver;

import com.iotorq.lean.gateway.account.Account;
import com.iotorq.lean.gateway.account.LeanUser;
import com.iotorq.lean.gateway.tenant.TenantAttributes;
import com.iotorq.lean.gateway.test.TestSsoSettings;
import com.iotorq.lean.gateway.test.TestTenants;

import static org.assertj.core.api.Assertions.assertThat;

class TenantBoundSecurityContextRepositoryTests {

	private static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");

	private static final UUID ACME_ID = UUID.randomUUID();

	/** The SSO settings version of the organisation as this replica has it cached. */
	private static final long VERSION = 7;

	private final CookieWebSessionIdResolver sessionIds = new CookieWebSessionIdResolver();

	private final TenantBoundSecurityContextRepository repository = new TenantBoundSecurityContextRepository(
			this.sessionIds, Duration.ofHours(12), Clock.fixed(NOW, ZoneOffset.UTC),
			// signed in just now: well within the re-check interval, so the database is
			// not asked
			new AccountRecheck(null, Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofMinutes(10), Duration.ofSeconds(5),
					Duration.ofSeconds(1)));

	private final AtomicInteger sessionRequests = new AtomicInteger();

	{
		this.sessionIds.setCookieName("LEAN_SESSION");
	}

	@Test
	void loadWhenRequestNamesNoSessionThenAnonymousWithoutCreatingASession() {
		MockServerWebExchange exchange = exchange(
				MockServerHttpRequest.get("/").cookie(new HttpCookie("theme", "dark")).build(),
				signedInSession("acme"));
		assertThat(this.repository.load(exchange).blockOptional()).isEmpty();
		assertThat(this.sessionRequests).hasValue(0);
	}

	@Test
	void loadWhenSessionOfThisOrganisationThenItsUser() {
		MockServerWebExchange exchange = exchange(withCookie(), signedInSession("acme"));
		SecurityContext context = this.repository.load(exchange).block();
		assertThat(context.getAuthentication().getPrincipal()).isInstanceOfSatisfying(LeanUser.class,
				user -> assertThat(user.tenantSlug()).isEqualTo("acme"));
		assertThat(this.sessionRequests).hasValue(1);
	}

	@Test
	void loadWhenSessionOfAnotherOrganisationThenAnonymous() {
		MockServerWebExchange exchange = exchange(withCookie(), signedInSession("globex"));
		assertThat(this.repository.load(exchange).blockOptional()).isEmpty();
	}

	@Test
	void loadWhenSignedInUnderOlderSsoSettingsThenSessionEnds() {
		MockWebSession session = signedInSession("acme", ACME_ID, VERSION - 1);
		assertThat(this.repository.load(exchange(withCookie(), session)).blockOptional()).isEmpty();
		assertThat(session.getAttributes()).isEmpty();
	}

	@Test
	void loadWhenSignedInToAnOrganisationDeletedSinceUnderTheSameSlugThenSessionEnds() {
		MockWebSession session = signedInSession("acme", UUID.randomUUID(), VERSION - 3);
		assertThat(this.repository.load(exchange(withCookie(), session)).blockOptional()).isEmpty();
		assertThat(session.getAttributes()).isEmpty();
	}

	@Test
	void loadWhenStoredBeforeSessionsWereBoundThenSessionEnds() {
		MockWebSession session = signedInSession("acme", null, 0);
		assertThat(this.repository.load(exchange(withCookie(), session)).blockOptional()).isEmpty();
		assertThat(session.getAttributes()).isEmpty();
	}

	@Test
	void loadWhenSessionNewerThanTheCachedSettingsThenHonoured() {
		// signed in through a replica that already knew of a change this one has not
		// heard of yet
		MockWebSession session = signedInSession("acme", ACME_ID, VERSION + 1);
		assertThat(this.repository.load(exchange(withCookie(), session)).blockOptional()).isPresent();
	}

	@Test
	void loadWhenSessionOfANewerIncarnationThanTheCachedOrganisationThenAnonymousButKept() {
		MockWebSession session = signedInSession("acme", UUID.randomUUID(), VERSION + 1);
		assertThat(this.repository.load(exchange(withCookie(), session)).blockOptional()).isEmpty();
		assertThat(session.getAttributes()).isNotEmpty();
	}

	private static MockServerHttpRequest withCookie() {
		return MockServerHttpRequest.get("/")
			.cookie(new HttpCookie("LEAN_SESSION", "abc"), new HttpCookie("theme", "dark"))
			.build();
	}

	private MockServerWebExchange exchange(MockServerHttpRequest request, MockWebSession session) {
		MockServerWebExchange exchange = MockServerWebExchange.builder(request)
			.sessionManager(e -> Mono.fromSupplier(() -> {
				this.sessionRequests.incrementAndGet();
				return session;
			}))
			.build();
		exchange.getAttributes()
			.put(TenantAttributes.TENANT,
					TestTenants.tenant()
						.id(ACME_ID)
						.slug("acme")
						.at(NOW)
						.sso(TestSsoSettings.entra().updatedAt(NOW))
						.ssoSessionVersion(VERSION)
						.build());
		return exchange;
	}

	private static MockWebSession signedInSession(String slug) {
		return signedInSession(slug, ACME_ID, VERSION);
	}

	private static MockWebSession signedInSession(String slug, UUID tenantId, long ssoSessionVersion) {
		OidcIdToken token = new OidcIdToken("token", NOW, NOW.plusSeconds(3600),
				Map.of("sub", "subject", "iss", "https://login.example/tid/v2.0"));
		Account account = new Account(UUID.randomUUID(), UUID.randomUUID(), "someone@acme.example", "Someone",
				Account.Status.ACTIVE, "tid", "oid", NOW, NOW);
		LeanUser user = new LeanUser(token, account, slug, tenantId, ssoSessionVersion, "tid", "oid",
				NOW.minusSeconds(60));
		MockWebSession session = new MockWebSession();
		session.getAttributes()
			.put(WebSessionServerSecurityContextRepository.DEFAULT_SPRING_SECURITY_CONTEXT_ATTR_NAME,
					new SecurityContextImpl(new OAuth2AuthenticationToken(user, user.getAuthorities(), slug)));
		return session;
	}

}
