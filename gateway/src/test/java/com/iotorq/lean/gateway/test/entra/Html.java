package com.iotorq.lean.gateway.test.entra;

import java.util.List;
import java.util.Map;

/**
 * The HTML pages of the imitation: Entra's error page, the account chooser, the
 * admin-consent prompt and the signed-out page. Everything echoed from a request is
 * escaped; no page contains script. Element ids ({@code user-<oid>}, {@code cancel},
 * {@code accept}) are stable for Selenium.
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

	/**
	 * Entra's "Sorry, but we're having trouble signing you in." page for an error it does
	 * not redirect.
	 */
	static String errorPage(EntraError error) {
		return page("Sign in to your account",
				"<h1>Sign in</h1>\n" + "<p>Sorry, but we&#39;re having trouble signing you in.</p>\n"
						+ "<p id=\"error\">" + escape(error.summary()) + "</p>\n"
						+ "<dl>\n<dt>Request Id</dt><dd id=\"trace-id\">" + error.traceId() + "</dd>\n"
						+ "<dt>Correlation Id</dt><dd id=\"correlation-id\">" + error.correlationId() + "</dd>\n"
						+ "<dt>Timestamp</dt><dd id=\"timestamp\">" + error.timestampText() + "</dd>\n</dl>");
	}

	/**
	 * "Pick an account": one button per user, each posting the original parameters plus
	 * {@code oid} back to {@code action}, and a Cancel button posting
	 * {@code cancel=true}.
	 */
	static String accountChooser(String action, Map<String, String> params, List<TestEntraUser> users) {
		StringBuilder body = new StringBuilder("<h1>Pick an account</h1>\n<form method=\"post\" action=\"")
			.append(escape(action))
			.append("\">\n")
			.append(hiddenFields(params));
		for (TestEntraUser user : users) {
			body.append("<button type=\"submit\" name=\"oid\" value=\"")
				.append(escape(user.oid()))
				.append("\" id=\"user-")
				.append(escape(user.oid()))
				.append("\">")
				.append(escape(user.name()))
				.append("<br><small>")
				.append(escape(user.upn()))
				.append("</small></button>\n");
		}
		body.append("<button type=\"submit\" name=\"cancel\" value=\"true\" id=\"cancel\">Cancel</button>\n</form>");
		return page("Sign in to your account", body.toString());
	}

	/**
	 * "Permissions requested": Accept posts {@code consent=accept}, Cancel posts
	 * {@code consent=cancel}.
	 */
	static String adminConsent(String action, Map<String, String> params, TestEntraApp app) {
		return page("Permissions requested", "<h1>Permissions requested</h1>\n" + "<p>" + escape(app.displayName())
				+ " needs permission to sign in and read user profile " + "for everyone in your organization.</p>\n"
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
		params.forEach((name, value) -> fields.append("<input type=\"hidden\" name=\"")
			.append(escape(name))
			.append("\" value=\"")
			.append(escape(value))
			.append("\">\n"));
		return fields.toString();
	}

	/** The admin center stand-in's "Register an application" form. */
	static String adminCenterForm() {
		return page("Register an application", "<h1>Register an application</h1>\n" + "<form method=\"post\" action=\""
				+ AdminCenter.PATH + "\">\n"
				+ "<p><label>Directory (tenant) ID <input id=\"tid\" name=\"tid\" size=\"40\"></label></p>\n"
				+ "<p><label>Name <input id=\"name\" name=\"name\" value=\"ioTORQ LEAN\"></label></p>\n"
				+ "<p>Supported account types: Accounts in this organizational directory only (Single tenant)</p>\n"
				+ "<p><label>Redirect URI (Web) <input id=\"redirectUri\" name=\"redirectUri\" size=\"60\"></label></p>\n"
				+ "<p><label><input type=\"checkbox\" id=\"requireAdminConsent\" name=\"requireAdminConsent\"> Users need "
				+ "admin consent</label></p>\n"
				+ "<p><button type=\"submit\" id=\"register\">Register</button></p>\n</form>");
	}

	/**
	 * The new registration's overview, with its client secret's Value shown this once.
	 */
	static String adminCenterCreated(TestEntra.Registration registration) {
		return page("App registration created",
				"<h1>" + escape(registration.name()) + "</h1>\n<dl>\n"
						+ "<dt>Application (client) ID</dt><dd id=\"client-id\">" + escape(registration.clientId())
						+ "</dd>\n" + "<dt>Directory (tenant) ID</dt><dd id=\"tenant-id\">" + escape(registration.tid())
						+ "</dd>\n" + "<dt>Client secret Value</dt><dd id=\"secret-value\">"
						+ escape(registration.secretValue()) + "</dd>\n" + "<dt>Secret ID</dt><dd id=\"secret-id\">"
						+ escape(registration.secretId()) + "</dd>\n" + "<dt>Expires</dt><dd id=\"secret-expires\">"
						+ escape(registration.secretExpiresOn()) + "</dd>\n</dl>");
	}

	private static String page(String title, String body) {
		return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>" + escape(title)
				+ " (Test Entra)</title>\n</head>\n<body>\n" + body + "\n</body>\n</html>\n";
	}

}
