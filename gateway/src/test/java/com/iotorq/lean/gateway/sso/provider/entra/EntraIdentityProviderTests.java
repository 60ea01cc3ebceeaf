package com.iotorq.lean.gateway.sso.provider.entra;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.iotorq.lean.gateway.account.SignInIdentity;
import com.iotorq.lean.gateway.sso.provider.ProviderError;
import com.iotorq.lean.gateway.sso.provider.VerificationStep;
import com.iotorq.lean.gateway.test.TestSsoProperties;
import com.iotorq.lean.gateway.test.TestSsoSettings;

import static org.assertj.core.api.Assertions.assertThat;

class EntraIdentityProviderTests {

	private final EntraIdentityProvider entra = new EntraIdentityProvider(
			TestSsoProperties.builder().authority("https://login.microsoftonline.us/").build());

	@Test
	void explainWhenKnownCodeThenWhoMustAct() {
		var error = this.entra
			.explain("access_denied", "AADSTS50105: Your administrator has configured the application "
					+ "to block users.\r\nTrace ID: x\r\nCorrelation ID: 0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0\r\nTimestamp: y")
			.orElseThrow();
		assertThat(error.code()).isEqualTo("AADSTS50105");
		assertThat(error.actor()).isEqualTo(ProviderError.Actor.IDP_ADMIN);
		assertThat(error.correlationId()).isEqualTo("0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0");
	}

	@Test
	void explainWhenClientAssertionRefusedThenWhoMustActDependsOnTheCause() {
		var unknown = this.entra
			.explain("invalid_client",
					"AADSTS700027: The certificate with identifier used to sign "
							+ "the client assertion is not registered on application.")
			.orElseThrow();
		var late = this.entra
			.explain("invalid_client", "AADSTS700024: Client assertion is not within its valid time " + "range.")
			.orElseThrow();
		var audience = this.entra
			.explain("invalid_client",
					"AADSTS700023: Client assertion audience claim does not " + "match Realm issuer.")
			.orElseThrow();
		var replay = this.entra.explain("invalid_client", "AADSTS7000274: replayed").orElseThrow();
		assertThat(unknown.actor()).isEqualTo(ProviderError.Actor.IDP_ADMIN);
		assertThat(unknown.action()).contains("Certificates & secrets > Certificates");
		assertThat(late.actor()).isEqualTo(ProviderError.Actor.LEAN_SUPPORT);
		assertThat(late.action()).contains("clock");
		assertThat(audience.actor()).isEqualTo(ProviderError.Actor.LEAN_SUPPORT);
		assertThat(replay.actor()).isEqualTo(ProviderError.Actor.USER);
		var verification = this.entra.explainVerification(VerificationStep.CREDENTIALS, 401, "invalid_client",
				"AADSTS700027: Client assertion failed signature validation.");
		assertThat(verification.summary()).isEqualTo("Certificate not accepted");
		assertThat(verification.instruction()).contains("Certificates & secrets > Certificates", "thumbprint");
		assertThat(this.entra
			.explainVerification(VerificationStep.CREDENTIALS, 401, "invalid_client",
					"AADSTS700024: Client assertion is not within its valid time range.")
			.instruction()).contains("NTP");
	}

	@Test
	void explainWhenUnknownCodeThenGenericWithTheCode() {
		var error = this.entra.explain("server_error", "AADSTS123456: something new").orElseThrow();
		assertThat(error.code()).isEqualTo("AADSTS123456");
		assertThat(error.title()).isEqualTo("Microsoft could not sign you in");
		assertThat(this.entra.explain("server_error", "no code here")).isEmpty();
	}

	@Test
	void issuerWhenOtherCloudThenFromConfiguredAuthority() {
		var settings = TestSsoSettings.entra().directoryId("72F988BF-86F1-41AF-91AB-2D7CD011DB47").build();
		assertThat(this.entra.issuer(settings))
			.hasToString("https://login.microsoftonline.us/72f988bf-86f1-41af-91ab-2d7cd011db47/v2.0");
	}

	@Test
	void checkClientSecretWhenGuidThenWarnsItIsTheSecretId() {
		assertThat(this.entra.checkClientSecret("6f1c1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b")).get()
			.asString()
			.contains("Secret ID rather than its Value");
		assertThat(this.entra.checkClientSecret("Abc8Q~Zx.y_0123456789abcdefghijklmnopqrs")).isEmpty();
	}

	@Test
	void identityWhenEmailClaimThenVouchedUnlessMarkedUnverified() {
		assertThat(identity(false, "email", "ada@acme.example").emailVerified()).isTrue();
		assertThat(identity(false, "email", "ada@acme.example", "xms_edov", true).emailVerified()).isTrue();
		SignInIdentity unverified = identity(false, "email", "ada@acme.example", "xms_edov", false);
		assertThat(unverified.email()).isEqualTo("ada@acme.example");
		assertThat(unverified.emailVerified()).isFalse();
		// a guest's email claim is Entra's word too
		assertThat(identity(false, "email", "ada@contoso.example", "acct", 1).emailVerified()).isTrue();
	}

	@Test
	void identityWhenOnlyPreferredUsernameThenVouchedOnlyForAMemberTheOrganisationTrusts() {
		SignInIdentity member = identity(false, "preferred_username", "grace@acme.example", "acct", 0);
		assertThat(member.email()).isEqualTo("grace@acme.example");
		assertThat(member.emailVerified()).isFalse();
		assertThat(identity(true, "preferred_username", "grace@acme.example", "acct", 0).emailVerified()).isTrue();
		assertThat(identity(false, "preferred_username", "grace@acme.example", "acct", 0, "xms_edov", "true")
			.emailVerified()).isTrue();
		// a guest's user name comes from their home directory: never, whatever else says
		// so
		assertThat(identity(true, "preferred_username", "ceo@acme.example", "acct", 1).emailVerified()).isFalse();
		assertThat(
				identity(true, "preferred_username", "ceo@acme.example", "acct", "1", "xms_edov", true).emailVerified())
			.isFalse();
		assertThat(identity(true, "preferred_username", "not-an-email").email()).isNull();
	}

	@Test
	void identityWhenFlagsSentAsStringsOrNumbersThenReadLenientlyAndAnythingElseIsNotVouched() {
		// xms_edov on an email claim: false in any spelling, and anything unreadable, is
		// not vouched
		for (Object unverified : new Object[] { false, "false", "False", "FALSE", 0, 0L, "0", "maybe", "", 2,
				List.of() }) {
			assertThat(identity(false, "email", "ada@acme.example", "xms_edov", unverified).emailVerified())
				.as("xms_edov = %s", unverified)
				.isFalse();
		}
		for (Object verified : new Object[] { true, "true", "True", "TRUE", 1, 1L, "1" }) {
			assertThat(identity(false, "email", "ada@acme.example", "xms_edov", verified).emailVerified())
				.as("xms_edov = %s", verified)
				.isTrue();
			assertThat(identity(false, "preferred_username", "grace@acme.example", "acct", 0, "xms_edov", verified)
				.emailVerified()).as("username with xms_edov = %s", verified).isTrue();
		}
		// acct = 0 as a number or a string says member; anything else does not
		for (Object member : new Object[] { 0, 0L, "0", " 0 " }) {
			assertThat(identity(true, "preferred_username", "grace@acme.example", "acct", member).emailVerified())
				.as("acct = %s", member)
				.isTrue();
		}
		for (Object notMember : new Object[] { 1, "1", "2", "member", true, "" }) {
			assertThat(identity(true, "preferred_username", "grace@acme.example", "acct", notMember).emailVerified())
				.as("acct = %s", notMember)
				.isFalse();
		}
	}

	@Test
	void identityWhenNoAcctClaimThenUsernameNeverVouched() {
		// acct is an optional claim: without it the directory has not said the person is
		// a member
		assertThat(identity(true, "preferred_username", "grace@acme.example").emailVerified()).isFalse();
		assertThat(identity(true, "preferred_username", "grace@acme.example", "xms_edov", true).emailVerified())
			.isFalse();
		assertThat(identity(true, "preferred_username", "grace@acme.example").email()).isEqualTo("grace@acme.example");
	}

	private SignInIdentity identity(boolean linkByUsername, Object... claims) {
		var settings = TestSsoSettings.entra()
			.directoryId("72f988bf-86f1-41af-91ab-2d7cd011db47")
			.linkByUsername(linkByUsername)
			.build();
		var token = org.springframework.security.oauth2.core.oidc.OidcIdToken.withTokenValue("t")
			.issuer("https://login.microsoftonline.us/72f988bf-86f1-41af-91ab-2d7cd011db47/v2.0")
			.subject("s")
			.claim("tid", "72f988bf-86f1-41af-91ab-2d7cd011db47")
			.claim("oid", "00000000-0000-0000-0000-00000000000a");
		for (int i = 0; i < claims.length; i += 2) {
			token.claim((String) claims[i], claims[i + 1]);
		}
		var user = new org.springframework.security.oauth2.core.oidc.user.DefaultOidcUser(List.of(), token.build());
		return this.entra.identity(user, settings);
	}

}
