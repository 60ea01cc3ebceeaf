package com.iotorq.lean.gateway.onboarding;

import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;

import com.iotorq.lean.gateway.test.SignInTestSupport;
import com.iotorq.lean.gateway.test.TestBrowser;
import com.iotorq.lean.gateway.test.TestSchema;
import com.iotorq.lean.gateway.test.entra.TestEntra;
import com.jayway.jsonpath.JsonPath;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Client secrets expire: the expiring list, the Prometheus gauge, warnings logged once
 * per threshold across replicas, and the page people see once it has happened.
 */
class SecretExpiryIntegrationTests extends SignInTestSupport {

	@Autowired
	SecretExpiryMonitor monitor;

	@Autowired
	SecretExpiryRepository repository;

	@Autowired
	Clock clock;

	private final ListAppender<ILoggingEvent> logs = new ListAppender<>();

	@BeforeEach
	void captureLogs() {
		this.logs.start();
		((Logger) LoggerFactory.getLogger(SecretExpiryMonitor.class)).addAppender(this.logs);
	}

	@AfterEach
	void releaseLogs() {
		((Logger) LoggerFactory.getLogger(SecretExpiryMonitor.class)).detachAppender(this.logs);
	}

	@Test
	void expiringWhenWithinWindowThenListedWithDaysLeft() {
		Org soon = organisation();
		Org later = organisation();
		expireIn(soon, 10);
		expireIn(later, 400);
		String body = this.admin.get()
			.uri("/admin/sso/expiring?withinDays=30")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		assertThat(JsonPath.<Integer>read(body, "$.withinDays")).isEqualTo(30);
		List<String> slugs = JsonPath.read(body, "$.items[*].slug");
		assertThat(slugs).contains(soon.slug()).doesNotContain(later.slug());
		Map<String, Object> item = JsonPath
			.<List<Map<String, Object>>>read(body, "$.items[?(@.slug == '" + soon.slug() + "')]")
			.get(0);
		assertThat(item).containsEntry("daysLeft", 10).containsEntry("expiresAt", today().plusDays(10).toString());
		assertThat(body).doesNotContain(soon.clientSecret());

		String wide = this.admin.get()
			.uri("/admin/sso/expiring?withinDays=400")
			.exchange()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		assertThat(JsonPath.<List<String>>read(wide, "$.items[*].slug")).contains(soon.slug(), later.slug());
		// the default window is 30 days
		String standard = this.admin.get()
			.uri("/admin/sso/expiring")
			.exchange()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		assertThat(JsonPath.<Integer>read(standard, "$.withinDays")).isEqualTo(30);
	}

	@Test
	void expiringWhenWindowInvalidThenBadRequest() {
		for (String window : List.of("-1", "abc", "3651", "1.5")) {
			this.admin.get()
				.uri("/admin/sso/expiring?withinDays=" + window)
				.exchange()
				.expectStatus()
				.isBadRequest()
				.expectHeader()
				.contentType(MediaType.APPLICATION_PROBLEM_JSON);
		}
	}

	@Test
	void gaugeWhenCheckedThenPrometheusShowsDaysUntilExpiryPerTenant() {
		Org acme = organisation();
		expireIn(acme, 12);
		this.monitor.check().block();
		String metrics = prometheus();
		String line = metrics.lines()
			.filter(l -> l.startsWith("lean_sso_client_secret_expiry_days{")
					&& l.contains("tenant=\"" + acme.slug() + "\""))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no gauge for " + acme.slug()));
		assertThat(line).endsWith(" 12.0");
		assertThat(metrics).doesNotContain(acme.clientSecret());
	}

	@Test
	void warningWhenThresholdReachedThenLoggedOnceAcrossReplicas() {
		Org acme = organisation();
		expireIn(acme, 10);
		// a second replica: its own monitor, the same database
		SecretExpiryMonitor otherReplica = new SecretExpiryMonitor(this.repository,
				new SecretExpiryProperties(List.of(30, 14, 7, 1), java.time.Duration.ofHours(1),
						java.time.Duration.ZERO),
				this.clock, new SimpleMeterRegistry());
		this.monitor.check().block();
		otherReplica.check().block();
		this.monitor.check().block();
		assertThat(warningsFor(acme)).hasSize(1)
			.first()
			.asString()
			.contains("expires in 10 days")
			.contains("PUT /admin/tenants/" + acme.slug() + "/sso");

		expireIn(acme, 5);
		// a new expiry date is a new secret: its warnings start over, at the tightest
		// threshold reached
		otherReplica.check().block();
		this.monitor.check().block();
		assertThat(warningsFor(acme)).hasSize(2).last().asString().contains("expires in 5 days");

		TestSchema.execute("UPDATE sso_settings s SET client_secret_expires_at = ? FROM tenant t "
				+ "WHERE t.id = s.tenant_id AND t.slug = ?", today().minusDays(1), acme.slug());
		this.monitor.check().block();
		otherReplica.check().block();
		assertThat(warningsFor(acme)).hasSize(3).last().asString().contains("expired on");
		assertThat(String.join("\n", warningsFor(acme))).doesNotContain(acme.clientSecret());
	}

	@Test
	void signInWhenSecretExpiredThenPageSaysCredentialsExpiredAndEntraAdminMustCreateNewSecret() {
		Org acme = organisation();
		TestEntra.User ada = person(acme, "Ada Lovelace");
		acme.app().secretExpired(true);
		TestBrowser.Response page = signIn(acme, ada, "/");
		assertThat(page.status()).isEqualTo(403);
		assertThat(page.body()).contains("Your organisation&#39;s SSO credentials have expired")
			.contains("Microsoft Entra administrator must create a new client secret")
			.contains("AADSTS7000222");
	}

	private List<String> warningsFor(Org org) {
		return this.logs.list.stream()
			.filter(event -> event.getLevel() == ch.qos.logback.classic.Level.WARN)
			.map(ILoggingEvent::getFormattedMessage)
			.filter(message -> message.contains("tenant " + org.slug() + " "))
			.toList();
	}

	private void expireIn(Org org, int days) {
		TestSchema.execute("UPDATE sso_settings s SET client_secret_expires_at = ? FROM tenant t "
				+ "WHERE t.id = s.tenant_id AND t.slug = ?", today().plusDays(days), org.slug());
	}

	private LocalDate today() {
		return LocalDate.now(this.clock);
	}

}
