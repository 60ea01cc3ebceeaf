package com.iotorq.lean.gateway.test.entra;

import java.util.List;
import java.util.Map;

/**
 * The HTML pages of the imitation: Entra's error page, the account chooser, the admin-consent prompt and the
 * signed-out page. Everything echoed from a request is escaped; no page contains script. Element ids
 * ({@code user-<oid>}, {@code cancel}, {@code accept}) are stable for Selenium.
 */
final class Html {

	private Html() {
	}

	/** Text made safe for element content and quoted attribute values. */
	static String escape(String text) {
		if (text == null) {
			return "";
		}
		StringBuilder out = new StringBuilder(text.length() + 16);
		for (char c : text.toCharArray()) {
			switch (c) {
				case '&' -> out.append("&amp;");
				case '<' -> out.append("&lt;");
				case '>' -> out.append("&gt;");
				case '"' -> out.append("&quot;");
				case '\'' -> out.append("&#39;");
				default -> out.append(c);
			}
		}
		return out.toString();
	}

	/** Entra's "Sorry, but we're having trouble signing you in." page for an error it does not redirect. */
	static String errorPage(EntraError error) {
		return page("Sign in to your account", "<h1>Sign in</h1>\n"
				+ "<p>Sorry, but we&#39;re having trouble signing you in.</p>\n"
				+ "<p id=\"error\">" + escape(error.summary()) + "</p>\n"
				+ "<dl>\n<dt>Request Id</dt><dd id=\"trace-id\">" + error.traceId() + "</dd>\n"
				+ "<dt>Correlation Id</dt><dd id=\"correlation-id\">" + error.correlationId() + "</dd>\n"
				+ "<dt>Timestamp</dt><dd id=\"timestamp\">" + error.timestampText() + "</dd>\n</dl>");
	}

	/**
	 * "Pick an account": one button per user, each posting the original parameters plus {@code oid} back to
	 * {@code action}, and a Cancel button posting {@code cancel=true}.
	 */
	static String accountChooser(String action, Map<String, String> params, List<TestEntraUser> users) {
		StringBuilder body = new StringBuilder("<h1>Pick an account</h1>\n<form method=\"post\" action=\"")
			.append(escape(action)).append("\">\n").append(hiddenFields(params));
		for (TestEntraUser user : users) {
			body.append("<button type=\"submit\" name=\"oid\" value=\"").append(escape(user.oid()))
				.append("\" id=\"user-").append(escape(user.oid())).append("\">")
				.append(escape(user.name())).append("<br><small>").append(escape(user.upn()))
				.append("</small></button>\n");
		}
		body.append("<button type=\"submit\" name=\"cancel\" value=\"true\" id=\"cancel\">Cancel</button>\n</form>");
		return page("Sign in to your account", body.toString());
	}

	/** "Permissions requested": Accept posts {@code consent=accept}, Cancel posts {@code consent=cancel}. */
	static String adminConsent(String action, Map<String, String> params, TestEntraApp app) {
		return page("Permissions requested", "<h1>Permissions requested</h1>\n"
				+ "<p>" + escape(app.displayName()) + " needs permission to sign in and read user profile "
				+ "for everyone in your organization.</p>\n"
				+ "<form method=\"post\" action=\"" + escape(action) + "\">\n" + hiddenFields(params)
				+ "<button type=\"submit\" name=\"consent\" value=\"accept\" id=\"accept\">Accept</button>\n"
				+ "<button type=\"submit\" name=\"consent\" value=\"cancel\" id=\"cancel\">Cancel</button>\n</form>");
	}

	/** The page Entra shows after logout when there is nowhere to return to. */
	static String signedOut() {
		return page("Sign out", "<h1>You signed out of your account</h1>\n"
				+ "<p>It&#39;s a good idea to close all browser windows.</p>");
	}

	private static String hiddenFields(Map<String, String> params) {
		StringBuilder fields = new StringBuilder();
		params.forEach((name, value) -> fields.append("<input type=\"hidden\" name=\"").append(escape(name))
			.append("\" value=\"").append(escape(value)).append("\">\n"));
		return fields.toString();
	}

	private static String page(String title, String body) {
		return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>" + escape(title)
				+ " (Test Entra)</title>\n</head>\n<body>\n" + body + "\n</body>\n</html>\n";
	}

}
