package com.iotorq.lean.gateway.setup;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.springframework.http.MediaType;

import com.iotorq.lean.gateway.test.SignInTestSupport;
import com.iotorq.lean.gateway.test.TestBrowser;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Drives the setup page over real HTTP as a browser would: creates links through the
 * admin API, opens them, posts the page's forms with its CSRF token, and follows the
 * trips to the Entra imitation and back.
 */
abstract class SetupFlowSupport extends SignInTestSupport {

	private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");

	/**
	 * An organisation without SSO, as support registers it before sending a setup link.
	 */
	protected String organisationWithoutSso() {
		String slug = "new-" + java.util.UUID.randomUUID().toString().substring(0, 8);
		this.admin.put()
			.uri("/admin/tenants/{slug}", slug)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("displayName", "Organisation " + slug))
			.exchange()
			.expectStatus()
			.isCreated();
		return slug;
	}

	/** {@code POST .../setup-links}; returns the answer's JSON as a map. */
	@SuppressWarnings("unchecked")
	protected Map<String, Object> createLink(String slug, Map<String, ?> body) {
		return this.admin.post()
			.uri("/admin/tenants/{slug}/sso/setup-links", slug)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(body)
			.exchange()
			.expectStatus()
			.isCreated()
			.expectBody(Map.class)
			.returnResult()
			.getResponseBody();
	}

	/**
	 * The link's URL as the test reaches the gateway: the issued one plus the random test
	 * port.
	 */
	protected String reachable(String url) {
		URI uri = URI.create(url);
		return "http://" + uri.getHost() + ":" + this.port + uri.getRawPath();
	}

	protected String url(String slug, String path) {
		return "http://" + slug + "." + com.iotorq.lean.gateway.test.GatewayTestProperties.BASE_DOMAIN + ":" + this.port
				+ path;
	}

	/** Opens the link (302 to the page) and returns the page. */
	protected TestBrowser.Response open(TestBrowser browser, String link) {
		TestBrowser.Response opened = browser.get(reachable(link));
		assertThat(opened.status()).as(opened.body()).isEqualTo(302);
		assertThat(opened.location()).isEqualTo("/oauth/setup");
		return browser.follow(opened);
	}

	protected static String csrf(TestBrowser.Response page) {
		Matcher matcher = CSRF.matcher(page.body());
		assertThat(matcher.find()).as("CSRF token on the page").isTrue();
		return matcher.group(1);
	}

	/**
	 * Posts one of the page's forms with its CSRF token; returns the answer (usually
	 * 303).
	 */
	protected TestBrowser.Response post(TestBrowser browser, String slug, TestBrowser.Response page, String action,
			Map<String, String> fields) {
		Map<String, String> form = new LinkedHashMap<>(fields);
		form.put("csrf", csrf(page));
		form.put("action", action);
		StringBuilder body = new StringBuilder();
		form.forEach((name, value) -> body.append((body.length() > 0) ? "&" : "")
			.append(URLEncoder.encode(name, StandardCharsets.UTF_8))
			.append('=')
			.append(URLEncoder.encode(value, StandardCharsets.UTF_8)));
		return browser.post(url(slug, "/oauth/setup"), body.toString(), Map.of("Origin", "http://" + slug + "."
				+ com.iotorq.lean.gateway.test.GatewayTestProperties.BASE_DOMAIN + ":" + this.port));
	}

	protected TestBrowser.Response page(TestBrowser browser, String slug) {
		return browser.get(url(slug, "/oauth/setup"));
	}

	/** Verify with these credentials; returns the page after the redirect. */
	protected TestBrowser.Response verify(TestBrowser browser, String slug, String tid, String clientId,
			String secret) {
		TestBrowser.Response page = page(browser, slug);
		TestBrowser.Response answer = post(browser, slug, page, "verify",
				Map.of("entraTenantId", tid, "clientId", clientId, "clientSecret", secret, "clientSecretExpiresAt",
						java.time.LocalDate.now().plusDays(700).toString(), "credential", "secret"));
		assertThat(answer.status()).as(answer.body()).isEqualTo(303);
		return page(browser, slug);
	}

	/**
	 * Presses a button that leaves for the provider ({@code test} or {@code consent}),
	 * follows the imitation's redirect back to the callback, and returns the page after
	 * it.
	 */
	protected TestBrowser.Response roundTrip(TestBrowser browser, String slug, String action) {
		TestBrowser.Response answer = post(browser, slug, page(browser, slug), action, Map.of());
		assertThat(answer.status()).as(answer.body()).isEqualTo(303);
		TestBrowser.Response atProvider = browser.follow(answer);
		assertThat(atProvider.status()).as(atProvider.body()).isEqualTo(302);
		TestBrowser.Response back = browser.follow(atProvider);
		assertThat(back.url().getPath()).isEqualTo("/oauth/complete/");
		assertThat(back.status()).as(back.body()).isEqualTo(200);
		assertThat(back.header("Refresh")).isEqualTo("0; url=/oauth/setup");
		return page(browser, slug);
	}

}
