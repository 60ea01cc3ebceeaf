package com.iotorq.lean.gateway.web;

import java.util.Map;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every page the gateway renders comes from one layout: in English with {@code lang},
 * titled, one heading, saying what to do, escaping all text, and loading nothing from
 * anywhere.
 */
class PageTests {

	/** Anything that would make a browser fetch or run something. */
	private static final Pattern EXTERNAL = Pattern.compile("<script|<link|<img|<iframe|<object|src=|url\\(|@import",
			Pattern.CASE_INSENSITIVE);

	@ParameterizedTest
	@EnumSource(ErrorCode.class)
	void errorPageWhenAnyCodeThenTitledHeadedAndSaysWhatToDo(ErrorCode code) {
		String html = ErrorResponses.page(ErrorReport.of(code), "4f2a-17");

		assertThat(html).startsWith("<!DOCTYPE html>\n<html lang=\"en\">")
			.contains("<meta charset=\"utf-8\">", "<meta name=\"viewport\"")
			.contains("<title>" + escaped(code.title()) + " · ioTORQ LEAN</title>")
			.contains("<main>", "<h1>" + escaped(code.title()) + "</h1>")
			.contains("<p>" + escaped(code.message()) + "</p>")
			.contains("<p class=\"action\"><strong>What to do</strong>" + escaped(code.action()) + "</p>")
			.contains("<h2 id=\"details\">Details for support</h2>", "<dt>Reference</dt><dd>4f2a-17</dd>");
		assertThat(html.split("<h1>", -1)).hasSize(2);
		assertThat(EXTERNAL.matcher(html).find()).as("loads or runs nothing").isFalse();
	}

	@Test
	void pageWhenTextHoldsMarkupThenEveryPartIsEscaped() {
		String html = Page.titled("<b>Acme</b>")
			.paragraph("\"quoted\" & <i>tagged</i>")
			.action("<script>alert(1)</script>")
			.button("Go <now>", "/path?a=1&b=\"2\"")
			.postButton("Sign <out>", "/oauth/logout", "Can<cel>", "/")
			.facts(Map.of("Error <code>", "<x>"))
			.html();

		assertThat(html).doesNotContain("<b>Acme", "<i>tagged", "<script>", "<now>", "<out>", "<cel>", "<code>", "<x>")
			.contains("<title>&lt;b&gt;Acme&lt;/b&gt; · ioTORQ LEAN</title>")
			.contains("&quot;quoted&quot; &amp; &lt;i&gt;tagged&lt;/i&gt;")
			.contains("href=\"/path?a=1&amp;b=&quot;2&quot;\"");
	}

	@Test
	void factsWhenAllEmptyThenNoSupportSection() {
		java.util.HashMap<String, String> facts = new java.util.HashMap<>();
		facts.put("Error code", "");
		facts.put("Correlation ID", null);

		assertThat(Page.titled("Done").facts(facts).html()).doesNotContain("Details for support", "<dl");
	}

	@Test
	void signOutFormWhenRenderedThenLabelledButtonAndWayBack() {
		String html = Page.titled("Sign out of ioTORQ LEAN")
			.postButton("Sign out", "/oauth/logout", "Cancel", "/")
			.html();

		assertThat(html).contains("<form class=\"actions\" method=\"post\" action=\"/oauth/logout\">"
				+ "<button class=\"button\" type=\"submit\">Sign out</button><a href=\"/\">Cancel</a></form>");
	}

	@Test
	void contentSecurityPolicyThenNothingLoadsNoScriptNoFramingAndSignOutMayLeave() {
		assertThat(Page.CONTENT_SECURITY_POLICY)
			.contains("default-src 'none'", "frame-ancestors 'none'", "base-uri 'none'")
			.doesNotContain("script-src")
			// form-action would also govern the redirect from sign-out to the identity
			// provider
			.doesNotContain("form-action");
	}

	@Test
	void layoutThenFocusIsVisibleAndTextContrastIsHigh() {
		String html = Page.titled("x").html();

		assertThat(html).contains(":focus-visible{outline:3px solid #1a1f29");
		// body text #1a1f29 on white is 16.5:1, the details #3d4656 10:1, white on the
		// #0b4f8a button 8.5:1
		assertThat(contrast(0x1a1f29, 0xffffff)).isGreaterThan(7);
		assertThat(contrast(0x3d4656, 0xffffff)).isGreaterThan(7);
		assertThat(contrast(0xffffff, 0x0b4f8a)).isGreaterThan(7);
		assertThat(contrast(0x1a1f29, 0xeef4fb)).isGreaterThan(7);
		assertThat(html).contains("color:#1a1f29", "color:#3d4656", "background:#0b4f8a;color:#fff",
				"background:#eef4fb");
	}

	/** WCAG 2 contrast ratio. */
	private static double contrast(int foreground, int background) {
		double a = luminance(foreground);
		double b = luminance(background);
		return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
	}

	private static double luminance(int rgb) {
		double[] channels = { (rgb >> 16) & 0xff, (rgb >> 8) & 0xff, rgb & 0xff };
		for (int i = 0; i < 3; i++) {
			double c = channels[i] / 255;
			channels[i] = (c <= 0.03928) ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
		}
		return 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2];
	}

	private static String escaped(String text) {
		return org.springframework.web.util.HtmlUtils.htmlEscape(text, "UTF-8");
	}

}
