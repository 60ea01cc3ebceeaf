package com.iotorq.lean.gateway.observability;

import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import com.iotorq.lean.gateway.test.GatewayTestProperties;
import com.iotorq.lean.gateway.test.SignInTestSupport;
import com.iotorq.lean.gateway.test.TestBrowser;
import com.iotorq.lean.gateway.test.entra.TestEntra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What operators see of a full sign-in: JSON log lines carrying request id and tenant, an
 * access line per request, metrics by tenant and outcome, a trace context for the
 * backend, and never a secret, code, token or cookie value.
 */
@ExtendWith(OutputCaptureExtension.class)
class ObservabilityIntegrationTests extends SignInTestSupport {

	@Test
	void fullSignInWhenLoggedThenNoSecretsAndEveryLineTraceable(CapturedOutput output) {
		Org acme = organisation();
		TestEntra.User ada = person(acme, "Ada Lovelace");
		entra.signInAs(ada);
		TestBrowser.Response login = this.browser.get(acme.url("/oauth/login?next=/reports"));
		String state = login.locationParams().get("state");
		TestBrowser.Response callback = this.browser.follow(login);
		String code = callback.locationParams().get("code");
		this.browser.follow(callback);
		this.browser.get(acme.url("/reports?page=2"));
		String identity = backend.last().header("X-Lean-Identity").get(0);
		String session = this.browser.cookie(acme.host(), "LEAN_SESSION");
		this.browser.post(acme.url("/oauth/logout"), "", Map.of("Sec-Fetch-Site", "same-origin"));

		// the access log is written by a background thread
		await().atMost(Duration.ofSeconds(5)).until(() -> output.getAll().contains("POST /oauth/logout "));
		String logs = output.getAll();
		assertThat(logs).doesNotContain(acme.clientSecret())
			.doesNotContain(code)
			.doesNotContain(state)
			.doesNotContain(session)
			.doesNotContain(identity)
			.doesNotContain("eyJ")
			.doesNotContain(GatewayTestProperties.ADMIN_TOKEN)
			.doesNotContain("page=2");
		assertThat(logs.lines()
			.filter(line -> line.contains("\"logger\":\"lean.access\"") && line.contains("GET /reports 200")))
			.singleElement()
			.satisfies(line -> assertThat(line).startsWith("{")
				.contains("\"tenant\":\"" + acme.slug() + "\"")
				.contains("\"requestId\":\"")
				.contains("\"log\":{\"level\":\"INFO\",\"logger\":\"lean.access\"}")
				.contains("\"message\":\"GET /reports 200 ")
				.containsPattern("\"message\":\"GET /reports 200 \\d+\\.\\d{3} ms\"")
				.contains("\"@timestamp\":\""));
		assertThat(logs.lines().filter(line -> line.contains("Linking account"))).allSatisfy(
				line -> assertThat(line).contains("\"tenant\":\"" + acme.slug() + "\"").contains("\"requestId\":\""));
	}

	@Test
	void metricsWhenSignInsSucceedAndFailThenCountedByTenantAndOutcome() {
		Org acme = organisation();
		TestEntra.User ada = person(acme, "Ada Lovelace");
		signIn(acme, ada, "/");
		this.browser.get(acme.url("/x"));
		this.browser.clearCookies();
		entra.nextIdTokenSigning(TestEntra.Signing.WRONG_KEY);
		signIn(acme, ada, "/");
		String metrics = prometheus();
		assertThat(metrics)
			.contains("lean_sign_ins_total{application=\"lean-gateway\",outcome=\"success\",tenant=\"" + acme.slug()
					+ "\"} 1.0")
			.contains("lean_sign_ins_total{application=\"lean-gateway\",outcome=\"sign-in-rejected\",tenant=\""
					+ acme.slug() + "\"} 1.0")
			.containsPattern("spring_cloud_gateway_requests_seconds_count\\{.*tenant=\"" + acme.slug() + "\"")
			.containsPattern(
					"lean_session_store_seconds_count\\{application=\"lean-gateway\",operation=\"find\",outcome=\"success\",store=\"memory\"\\} [1-9]");
	}

	@Test
	void metricsWhenPublicRequestsThenOneTimerEachWithTheDocumentedTags() {
		Org plain = organisation();
		this.admin.delete().uri("/admin/tenants/{slug}/sso", plain.slug()).exchange().expectStatus().isNoContent();
		Org sso = organisation();
		this.browser.get(plain.url("/one?x=1"));
		this.browser.get(plain.url("/two"));
		// answered by the gateway itself: the sign-in redirect of an SSO organisation
		assertThat(this.browser.get(sso.url("/oauth/login?next=/")).status()).isEqualTo(302);

		String metrics = prometheus();
		assertThat(metrics).containsPattern(Pattern.quote(
				"spring_cloud_gateway_requests_seconds_count{application=\"lean-gateway\",httpStatusCode=\"200\",outcome=\"SUCCESSFUL\",routeId=\"lean-backend\",tenant=\""
						+ plain.slug() + "\"} ")
				+ "2(\\.0)?\\n")
			.containsPattern(Pattern.quote(
					"spring_cloud_gateway_requests_seconds_count{application=\"lean-gateway\",httpStatusCode=\"302\",outcome=\"REDIRECTION\",routeId=\""
							+ RequestMetrics.GATEWAY_ROUTE + "\",tenant=\"" + sso.slug() + "\"} ")
					+ "1(\\.0)?\\n")
			// no second timer of the same public requests
			.doesNotContainPattern("http_server_requests_seconds_count\\{[^}]*uri=\"(/one|/two|/oauth/login)\"")
			.doesNotContainPattern("http_server_requests_seconds_count\\{[^}]*uri=\"UNKNOWN\"");
		// the management port keeps Spring's server timer
		assertThat(prometheus())
			.containsPattern("http_server_requests_seconds_count\\{[^}]*uri=\"/actuator/prometheus\"");
	}

	@Test
	void traceContextWhenClientSendsOneThenKeptElseCreatedAndPassedToTheBackend() {
		Org plain = organisation();
		this.admin.delete().uri("/admin/tenants/{slug}/sso", plain.slug()).exchange().expectStatus().isNoContent();
		String traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
		TestBrowser.Response traced = this.browser.get(plain.url("/a"), Map.of("traceparent", traceparent));
		assertThat(backend.last().header("traceparent")).containsExactly(traceparent);
		assertThat(traced.header("x-request-id")).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");

		TestBrowser.Response fresh = this.browser.get(plain.url("/b"), Map.of("traceparent", "garbage"));
		String sent = backend.last().header("traceparent").get(0);
		assertThat(sent).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01");
		assertThat(sent).contains(fresh.header("x-request-id"));
	}

}
