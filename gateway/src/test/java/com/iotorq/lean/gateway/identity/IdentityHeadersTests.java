package com.iotorq.lean.gateway.identity;

import java.time.Clock;
import java.util.List;
import java.util.Set;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.http.HttpHeaders;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;

import com.iotorq.lean.gateway.account.LeanUser;
import com.iotorq.lean.gateway.config.BenchAblation;
import com.iotorq.lean.gateway.routing.HeaderHygieneFilter;
import com.iotorq.lean.gateway.routing.LeanHeaders;
import com.iotorq.lean.gateway.session.SessionProperties;
import com.iotorq.lean.gateway.tenant.Tenant;
import com.iotorq.lean.gateway.tenant.TenantAttributes;
import com.iotorq.lean.gateway.test.TestLeanUsers;
import com.iotorq.lean.gateway.test.TestSsoSettings;
import com.iotorq.lean.gateway.test.TestTenants;

import static org.assertj.core.api.Assertions.assertThat;

class IdentityHeadersTests {

	private static final Binder DEFAULTS = new Binder(new MapConfigurationPropertySource());

	private final ECKey key = generateKey();

	private final IdentityAssertions assertions = new IdentityAssertions(new IdentityKeys(this.key, List.of()),
			DEFAULTS.bindOrCreate(IdentityProperties.PREFIX, IdentityProperties.class), Clock.systemUTC());

	private final IdentityHeaders identityHeaders = new IdentityHeaders(this.assertions, BenchAblation.none());

	/** What the backend receives, as the last header filter makes it. */
	private final HeaderHygieneFilter backendHeaders = new HeaderHygieneFilter(
			DEFAULTS.bindOrCreate(SessionProperties.PREFIX, SessionProperties.class));

	private final Tenant acme = TestTenants.tenant().slug("acme").sso(TestSsoSettings.entra()).build();

	@Test
	void addWhenSignedInThenTheBackendGetsWhoItIsAndTheSignedAssertionInsteadOfTheClientsHeaders() throws Exception {
		LeanUser ada = TestLeanUsers.signedInTo(this.acme, "ada@acme.example", "Ada Lovelace");
		MockServerWebExchange exchange = exchange();

		this.identityHeaders.add(exchange, ada);

		HttpHeaders backend = toBackend(exchange);
		assertThat(backend.get(LeanHeaders.USER_ID)).containsExactly(ada.accountId().toString());
		assertThat(backend.get(LeanHeaders.USER_EMAIL)).containsExactly("ada@acme.example");
		assertThat(backend.get(LeanHeaders.USER_NAME)).containsExactly("Ada Lovelace");
		SignedJWT assertion = SignedJWT.parse(backend.getFirst(LeanHeaders.IDENTITY));
		assertThat(assertion.verify(new ECDSAVerifier(this.key.toECPublicKey()))).isTrue();
		assertThat(assertion.getJWTClaimsSet().getSubject()).isEqualTo(ada.accountId().toString());
		assertThat(assertion.getJWTClaimsSet().getStringClaim("tenant")).isEqualTo("acme");
	}

	@Test
	void addWhenNameNotAsciiAndNoDisplayNameThenEncodedOrLeftOut() {
		MockServerWebExchange exchange = exchange();
		this.identityHeaders.add(exchange, TestLeanUsers.signedInTo(this.acme, "jose@acme.example", "José Müller"));
		assertThat(toBackend(exchange).get(LeanHeaders.USER_NAME)).containsExactly("UTF-8''Jos%C3%A9%20M%C3%BCller");

		MockServerWebExchange nameless = exchange();
		this.identityHeaders.add(nameless, TestLeanUsers.signedInTo(this.acme, "bot@acme.example", null));
		HttpHeaders backend = toBackend(nameless);
		assertThat(backend.containsHeader(LeanHeaders.USER_NAME)).isFalse();
		assertThat(backend.get(LeanHeaders.USER_EMAIL)).containsExactly("bot@acme.example");
	}

	@Test
	void addWhenSwitchedOffForMeasuringThenNoIdentityHeaders() {
		IdentityHeaders off = new IdentityHeaders(this.assertions,
				new BenchAblation(Set.of(BenchAblation.Feature.IDENTITY_HEADERS)));
		MockServerWebExchange exchange = exchange();

		off.add(exchange, TestLeanUsers.signedInTo(this.acme));

		HttpHeaders backend = toBackend(exchange);
		// the client's forged headers are dropped all the same
		assertThat(backend.headerNames()).containsExactlyInAnyOrder("Accept", LeanHeaders.TENANT);
	}

	private MockServerWebExchange exchange() {
		MockServerWebExchange exchange = MockServerWebExchange
			.from(MockServerHttpRequest.get("https://acme.iotorq-lean.com/app")
				.header("Accept", "text/html")
				.header("X-Lean-User-Id", "forged")
				.header("x_lean_identity", "forged"));
		exchange.getAttributes().put(TenantAttributes.TENANT, this.acme);
		return exchange;
	}

	private HttpHeaders toBackend(MockServerWebExchange exchange) {
		return this.backendHeaders.filter(exchange.getRequest().getHeaders(), exchange);
	}

	private static ECKey generateKey() {
		try {
			return new ECKeyGenerator(Curve.P_256).keyID("test").generate();
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
