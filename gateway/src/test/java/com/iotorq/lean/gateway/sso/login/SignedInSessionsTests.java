package com.iotorq.lean.gateway.sso.login;

import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import org.springframework.http.HttpCookie;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.security.authentication.TestingAuthenticationToken;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextImpl;
import org.springframework.security.web.server.context.ServerSecurityContextRepository;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.session.CookieWebSessionIdResolver;

import com.iotorq.lean.gateway.account.LeanUser;
import com.iotorq.lean.gateway.config.BenchAblation;
import com.iotorq.lean.gateway.tenant.Tenant;
import com.iotorq.lean.gateway.test.TestLeanUsers;
import com.iotorq.lean.gateway.test.TestSsoSettings;
import com.iotorq.lean.gateway.test.TestTenants;

import static org.assertj.core.api.Assertions.assertThat;

class SignedInSessionsTests {

	private final Tenant acme = TestTenants.tenant().slug("acme").sso(TestSsoSettings.entra()).build();

	private final LeanUser ada = TestLeanUsers.signedInTo(this.acme);

	private final StoredContexts store = new StoredContexts();

	private final SignedInSessions sessions = new SignedInSessions(new RequestScopedSecurityContexts(this.store),
			new CookieWebSessionIdResolver(), BenchAblation.none());

	@Test
	void signedInWhenSessionHoldsSignedInPersonThenThatPersonReadOnce() {
		this.store
			.answer(Mono.just(new SecurityContextImpl(new TestingAuthenticationToken(this.ada, null, "ROLE_USER"))));
		MockServerWebExchange exchange = withSessionCookie();

		assertThat(this.sessions.signedIn(exchange, this.acme).block()).isSameAs(this.ada);
		assertThat(this.sessions.signedIn(exchange, this.acme).block()).isSameAs(this.ada);
		assertThat(this.store.loads).hasValue(1);
	}

	@Test
	void signedInWhenSessionHoldsNobodyOrAnUnauthenticatedOrForeignPrincipalThenEmpty() {
		this.store.answer(Mono.empty());
		StepVerifier.create(this.sessions.signedIn(withSessionCookie(), this.acme)).verifyComplete();

		this.store.answer(Mono.just(new SecurityContextImpl(new TestingAuthenticationToken(this.ada, null))));
		StepVerifier.create(this.sessions.signedIn(withSessionCookie(), this.acme)).verifyComplete();

		this.store
			.answer(Mono.just(new SecurityContextImpl(new TestingAuthenticationToken("someone", null, "ROLE_USER"))));
		StepVerifier.create(this.sessions.signedIn(withSessionCookie(), this.acme)).verifyComplete();
	}

	@Test
	void signedInWhenSessionStoreFailsThenError() {
		this.store.answer(Mono.error(new IllegalStateException("store down")));

		StepVerifier.create(this.sessions.signedIn(withSessionCookie(), this.acme))
			.verifyError(IllegalStateException.class);
	}

	@Test
	void signedInWhenNoSsoNoSessionCookieOrSwitchedOffThenNullWithoutReadingTheSession() {
		Tenant withoutSso = TestTenants.tenant("acme");
		assertThat(this.sessions.signedIn(withSessionCookie(), withoutSso)).isNull();

		MockServerWebExchange noCookie = MockServerWebExchange
			.from(MockServerHttpRequest.get("https://acme.iotorq-lean.com/").cookie(new HttpCookie("theme", "dark")));
		assertThat(this.sessions.signedIn(noCookie, this.acme)).isNull();

		SignedInSessions off = new SignedInSessions(new RequestScopedSecurityContexts(this.store),
				new CookieWebSessionIdResolver(), new BenchAblation(Set.of(BenchAblation.Feature.SESSION)));
		assertThat(off.signedIn(withSessionCookie(), this.acme)).isNull();

		assertThat(this.store.loads).hasValue(0);
	}

	private static MockServerWebExchange withSessionCookie() {
		return MockServerWebExchange
			.from(MockServerHttpRequest.get("https://acme.iotorq-lean.com/").cookie(new HttpCookie("SESSION", "abc")));
	}

	/**
	 * The session store's security contexts: whatever the test put there, counting the
	 * reads.
	 */
	private static final class StoredContexts implements ServerSecurityContextRepository {

		final AtomicInteger loads = new AtomicInteger();

		private Mono<SecurityContext> answer = Mono.empty();

		void answer(Mono<SecurityContext> answer) {
			this.answer = answer;
		}

		@Override
		public Mono<Void> save(ServerWebExchange exchange, SecurityContext context) {
			return Mono.error(new AssertionError("nothing is saved here"));
		}

		@Override
		public Mono<SecurityContext> load(ServerWebExchange exchange) {
			return Mono.defer(() -> {
				this.loads.incrementAndGet();
				return this.answer;
			});
		}

	}

}
