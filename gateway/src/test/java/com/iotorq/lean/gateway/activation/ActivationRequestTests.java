package com.iotorq.lean.gateway.activation;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.iotorq.lean.gateway.account.Account;
import com.iotorq.lean.gateway.tenant.Tenant;

import static com.iotorq.lean.gateway.test.TestTenants.tenant;
import static org.assertj.core.api.Assertions.assertThat;

class ActivationRequestTests {

	private static final String TOKEN = "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_abcde";

	private final Tenant acme = tenant("acme");

	@Test
	void storedWhenTakenBackThenTheSameRequestOnceAndNeverTheToken() {
		UUID accountId = UUID.randomUUID();
		var link = new ActivationTokens.Link(accountId, "ada@acme.example", Account.Status.PENDING_ACTIVATION,
				Instant.now(), false, true);
		Map<String, Object> session = new HashMap<>();
		ActivationRequest.of(this.acme, link, TOKEN).storeIn(session);

		assertThat(session.values()).singleElement().isInstanceOf(String.class).asString().doesNotContain(TOKEN);
		ActivationRequest taken = ActivationRequest.takeFrom(session, this.acme).orElseThrow();
		assertThat(taken.accountId()).isEqualTo(accountId);
		assertThat(taken.tokenHash()).isEqualTo(ActivationTokens.hashText(TOKEN));
		assertThat(ActivationRequest.takeFrom(session, this.acme)).isEmpty();
	}

	@Test
	void takenWhenOfAnotherOrganisationOrUnreadableThenNone() {
		var link = new ActivationTokens.Link(UUID.randomUUID(), "ada@acme.example", Account.Status.PENDING_ACTIVATION,
				Instant.now(), false, true);
		Map<String, Object> session = new HashMap<>();
		ActivationRequest.of(this.acme, link, TOKEN).storeIn(session);
		assertThat(ActivationRequest.takeFrom(session, tenant("globex"))).isEmpty();
		assertThat(session).isEmpty();

		session.put(ActivationRequest.SESSION_ATTRIBUTE, "acme not-a-uuid x");
		assertThat(ActivationRequest.takeFrom(session, this.acme)).isEmpty();
		session.put(ActivationRequest.SESSION_ATTRIBUTE, 42L);
		assertThat(ActivationRequest.takeFrom(session, this.acme)).isEmpty();
	}

}
