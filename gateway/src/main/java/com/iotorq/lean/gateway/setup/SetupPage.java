package com.iotorq.lean.gateway.setup;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
import org.springframework.web.server.ServerWebExchange;

import com.iotorq.lean.gateway.credentials.SigningCertificate;
import com.iotorq.lean.gateway.onboarding.SsoVerification;
import com.iotorq.lean.gateway.tenant.SsoSettings;
import com.iotorq.lean.gateway.tenant.Tenant;
import com.iotorq.lean.gateway.web.GatewayPaths;
import com.iotorq.lean.gateway.web.Page;

/**
 * The setup page ({@code /oauth/setup}): the help article's steps with the organisation's
 * own values, as server-rendered HTML in the gateway's page layout. Works without
 * JavaScript; one small script (allowed by its hash, nothing else) adds copy buttons.
 * Every form posts back here with the session's CSRF token; a secret is never written
 * into the page.
 */
final class SetupPage {

	/**
	 * The copy buttons: hidden until this script shows them, so without it nothing dead
	 * is shown.
	 */
	private static final String SCRIPT = "document.querySelectorAll('button[data-copy]').forEach(function(b){"
			+ "b.hidden=false;b.addEventListener('click',function(){"
			+ "navigator.clipboard.writeText(document.getElementById(b.dataset.copy).textContent).then(function(){"
			+ "b.textContent='Copied';});});});";

	/** Nothing but this page's own script, styles and forms back to its own origin. */
	static final String CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-"
			+ sha256(SCRIPT) + "'; base-uri 'none'; frame-ancestors 'none'";

	private static final String STYLE = "<style>main{max-width:48rem}section{border-top:1px solid #dde3ea;padding-top:1rem;"
			+ "margin-top:1.5rem}section h2{font-size:1.125rem;color:#1a1f29;margin:0 0 .5rem}label{display:block;font-weight:600;"
			+ "margin:.75rem 0 .25rem}input,select{font:inherit;padding:.45rem .6rem;border:1px solid #9aa5b4;border-radius:6px;"
			+ "width:100%;box-sizing:border-box}fieldset{border:1px solid #dde3ea;border-radius:8px;margin:1rem 0;padding:.5rem 1rem 1rem}"
			+ "code{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;background:#f3f5f8;padding:.1rem .3rem;border-radius:4px;"
			+ "word-break:break-all}.copy{margin-left:.5rem;font-size:.8rem;padding:.2rem .6rem}.hint{font-size:.875rem;color:#3d4656}"
			+ ".error{color:#a1170f;font-weight:600;margin:.25rem 0 0}.ok{color:#1b6b2a;font-weight:600}.failed{color:#a1170f;font-weight:600}"
			+ ".checks li{margin-bottom:.75rem}.warning{background:#fff6e5;border-left:4px solid #b26a00;padding:.75rem 1rem;border-radius:4px}"
			+ "button[disabled]{background:#9aa5b4;cursor:not-allowed}table{border-collapse:collapse;font-size:.875rem;width:100%}"
			+ "td,th{border-top:1px solid #dde3ea;padding:.4rem .5rem;text-align:left;vertical-align:top}"
			+ ".implicit{position:absolute;left:-10000px;width:1px;height:1px;overflow:hidden}"
			+ "label.choice{font-weight:400}label.choice input{width:auto;margin-right:.5rem}</style>";

	private SetupPage() {
	}

	/**
	 * @param tenant the organisation as it is now
	 * @param session the setup session
	 * @param redirectUri the redirect URI to register, as this browser reaches the
	 * organisation
	 * @param credentialForms step 2's credential forms
	 * @param certificate the draft's certificate, if it has one
	 * @param errors messages by input name, after a form was refused
	 * @param entered the IDs as last typed, after a form was refused (else the draft's)
	 */
	static Mono<Void> write(ServerWebExchange exchange, HttpStatus status, Tenant tenant, SetupSession session,
			String redirectUri, List<SetupCredentialForm> credentialForms, @Nullable SigningCertificate certificate,
			Map<String, String> errors, Map<String, String> entered) {
		boolean renew = tenant.hasSso() && session.activatedAt() == null;
		String title = (renew ? "Renew single sign-on for " : "Set up single sign-on for ") + tenant.displayName();
		Page page = Page.titled(title).markup(STYLE);
		if (session.activatedAt() != null && tenant.hasSso()) {
			page.markup("<p class=\"action\" id=\"activated\"><strong>Single sign-on is active</strong>" + Page.escape(
					tenant.displayName() + " signs in with this app registration (mode " + tenant.requiredSso().mode()
							+ ", provisioning " + tenant.requiredSso().provisioning() + "). You can close this page.")
					+ "</p>");
		}
		page.paragraph(renew
				? "Single sign-on is live for " + tenant.displayName()
						+ ". Create a new client secret in Microsoft Entra ID, "
						+ "or upload a new certificate, check it here with a test sign-in, then activate it. Nobody is "
						+ "signed out and sign-ins keep working with the current credential until you press Activate."
				: "LEAN support sent you this page so that you, the Microsoft Entra administrator of "
						+ tenant.displayName()
						+ ", can connect ioTORQ LEAN to your directory. Nothing changes for anyone in "
						+ tenant.displayName() + " until you press Activate at the end.");
		page.markup(step1(renew, tenant, redirectUri));
		page.markup(step2(session, credentialForms, certificate, errors, entered));
		page.markup(step3(session));
		page.markup(step4(session));
		page.markup(step5(session, tenant));
		page.markup("<script>" + SCRIPT + "</script>");
		return page.writeTo(exchange, status, CONTENT_SECURITY_POLICY);
	}

	private static String step1(boolean renew, Tenant tenant, String redirectUri) {
		StringBuilder html = new StringBuilder("<section id=\"step-1\"><h2>1. Register the app</h2>");
		if (renew) {
			html.append(
					"<p>The app registration exists already. In the Microsoft Entra admin center, open <em>Identity &gt; "
							+ "Applications &gt; App registrations</em>, select it, go to <em>Certificates &amp; secrets</em> and click "
							+ "<em>+ New client secret</em>. Copy its <strong>Value</strong> into step 2. Or, in step 2, use a "
							+ "certificate instead: there is no secret to copy.</p>");
			html.append("<p class=\"hint\">Its redirect URI must stay ")
				.append(copyable("redirect-uri", redirectUri))
				.append("</p></section>");
			return html.toString();
		}
		html.append("<p>Sign in to the Microsoft Entra admin center, go to <em>Identity &gt; Applications &gt; App "
				+ "registrations</em> and click <em>+ New registration</em>. Enter:</p><dl>")
			.append("<dt>Name</dt><dd>")
			.append(copyable("app-name", "ioTORQ LEAN"))
			.append("</dd><dt>Supported account types</dt><dd>Accounts in this organizational directory only (Single tenant)</dd>")
			.append("<dt>Redirect URI</dt><dd>Platform <em>Web</em>: ")
			.append(copyable("redirect-uri", redirectUri))
			.append("</dd></dl><p class=\"warning\"><strong>Mind the trailing slash.</strong> The redirect URI ends with "
					+ "<code>/oauth/complete/</code>, not <code>/oauth/complete</code>. Without the slash Microsoft stops every "
					+ "sign-in with AADSTS50011.</p>")
			.append("<p>Click <em>Register</em>. The app's <em>Overview</em> shows the <em>Application (client) ID</em> and the "
					+ "<em>Directory (tenant) ID</em> for step 2. Then go to <em>Certificates &amp; secrets</em>, click <em>+ New "
					+ "client secret</em>, choose an expiry (730 days is suggested) and click <em>Add</em>; or use a "
					+ "certificate in step 2 instead of a secret.</p></section>");
		return html.toString();
	}

	private static String step2(SetupSession session, List<SetupCredentialForm> credentialForms,
			@Nullable SigningCertificate certificate, Map<String, String> errors, Map<String, String> entered) {
		SetupSession.Draft draft = session.draft();
		String tenantId = entered.getOrDefault("entraTenantId",
				(draft.directoryId() != null) ? draft.directoryId() : "");
		String clientId = entered.getOrDefault("clientId", (draft.clientId() != null) ? draft.clientId() : "");
		StringBuilder html = new StringBuilder("<section id=\"step-2\"><h2>2. Credentials</h2>").append(
				"<p>What you enter is kept as a draft for this setup only: the live settings of your organisation do "
						+ "not change until you activate.</p>")
			.append(form(session))
			// Enter in a field submits with the form's first submit button: make that
			// Verify, not "Generate a certificate"
			.append("<input class=\"implicit\" type=\"submit\" name=\"action\" value=\"verify\" tabindex=\"-1\" "
					+ "aria-hidden=\"true\">")
			.append("<label for=\"entraTenantId\">Directory (tenant) ID</label>")
			.append("<input id=\"entraTenantId\" name=\"entraTenantId\" required autocomplete=\"off\" spellcheck=\"false\" value=\"")
			.append(Page.escape(tenantId))
			.append("\">")
			.append(error(errors, "entraTenantId"))
			.append("<label for=\"clientId\">Application (client) ID</label>")
			.append("<input id=\"clientId\" name=\"clientId\" required autocomplete=\"off\" spellcheck=\"false\" value=\"")
			.append(Page.escape(clientId))
			.append("\">")
			.append(error(errors, "clientId"));
		// each kind of credential (a client secret, a certificate) is a fieldset of its
		// own, chosen by the
		// "credential" field: a hidden field while there is one kind, radio buttons once
		// there are more
		if (credentialForms.size() == 1) {
			html.append("<input type=\"hidden\" name=\"credential\" value=\"")
				.append(Page.escape(credentialForms.get(0).kind()))
				.append("\">");
		}
		for (int i = 0; i < credentialForms.size(); i++) {
			SetupCredentialForm credential = credentialForms.get(i);
			if (credentialForms.size() > 1) {
				boolean chosen = credentialForms.stream().anyMatch(form -> form.type() == draft.credentialType())
						? credential.type() == draft.credentialType() : i == 0;
				html.append("<label class=\"choice\"><input type=\"radio\" name=\"credential\" value=\"")
					.append(Page.escape(credential.kind()))
					.append("\"")
					.append(chosen ? " checked" : "")
					.append("> ")
					.append(Page.escape(credential.label()))
					.append("</label>");
			}
			html.append(credential.render(draft, certificate, errors));
		}
		html.append("<button class=\"button\" type=\"submit\" name=\"action\" value=\"verify\">Verify</button></form>");
		SsoVerification verification = session.currentVerification();
		if (verification != null) {
			html.append(checks(verification, certificate));
		}
		return html.append("</section>").toString();
	}

	private static String checks(SsoVerification verification, @Nullable SigningCertificate certificate) {
		StringBuilder html = new StringBuilder("<h3 id=\"verification\">")
			.append(verification.ok() ? "<span class=\"ok\">The credentials work.</span>"
					: "<span class=\"failed\">Something needs fixing.</span>")
			.append("</h3><ul class=\"checks\">");
		for (SsoVerification.Check check : verification.checks()) {
			String status = switch (check.status()) {
				case SsoVerification.Check.OK -> "<span class=\"ok\">OK</span>";
				case SsoVerification.Check.FAILED -> "<span class=\"failed\">Failed</span>";
				case SsoVerification.Check.SKIPPED -> "Not checked";
				default -> "To compare";
			};
			html.append("<li data-check=\"")
				.append(Page.escape(check.check()))
				.append("\">")
				.append(status)
				.append(" ")
				.append(Page.escape(label(check.check())))
				.append(": ")
				.append(Page.escape(check.summary()));
			if (check.value() != null) {
				html.append(" <code>").append(Page.escape(check.value())).append("</code>");
			}
			if (check.errorCode() != null) {
				html.append(" (").append(Page.escape(check.errorCode())).append(")");
			}
			if ("AADSTS700027".equals(check.errorCode())) {
				// the verifier's instruction addresses LEAN support; here the
				// administrator reading it acts
				String sha1 = (check.thumbprintSha1() != null) ? check.thumbprintSha1()
						: ((certificate != null) ? certificate.thumbprintSha1() : "shown above");
				html.append("<p class=\"warning\" id=\"certificate-hint\"><strong>Who must act:</strong> You, the "
						+ "Microsoft Entra administrator. Microsoft does not know this certificate yet: upload the "
						+ "certificate with thumbprint <code>")
					.append(Page.escape(sha1))
					.append("</code> to this app registration (<em>Certificates &amp; secrets</em> &rarr; <em>Certificates"
							+ "</em> &rarr; <em>Upload certificate</em>, the file from <em>Download certificate.cer</em> "
							+ "above), then press Verify again. A certificate uploaded a moment ago can take a few minutes "
							+ "to be accepted.</p></li>");
				continue;
			}
			if (SsoVerification.Check.FAILED.equals(check.status()) && check.instruction() != null) {
				html.append("<br><strong>Who must act:</strong> ")
					.append(Page.escape(actor(check)))
					.append(". ")
					.append(Page.escape(check.instruction()));
			}
			if ("AADSTS7000215".equals(check.errorCode())) {
				html.append(
						"<p class=\"warning\" id=\"secret-hint\">Did you copy the secret's <strong>Secret ID</strong> "
								+ "instead of its <strong>Value</strong>? If you copied the Value of a secret you created a moment "
								+ "ago, wait: Microsoft can take a few minutes before it accepts a new secret. Press Verify again in "
								+ "two minutes.</p>");
			}
			html.append("</li>");
		}
		return html.append("</ul>").toString();
	}

	private static String label(String check) {
		return switch (check) {
			case SsoVerification.DIRECTORY -> "Directory";
			case SsoVerification.CREDENTIALS -> "Client ID and credential";
			case SsoVerification.REDIRECT_URI -> "Redirect URI";
			default -> check;
		};
	}

	/**
	 * Who fixes a failed check: the administrator reading this, unless it is the
	 * gateway's own configuration.
	 */
	private static String actor(SsoVerification.Check check) {
		String instruction = check.instruction();
		return (instruction != null && instruction.contains("lean.sso.")) ? "LEAN support, if it persists"
				: "You, the Microsoft Entra administrator";
	}

	private static String step3(SetupSession session) {
		StringBuilder html = new StringBuilder("<section id=\"step-3\"><h2>3. Admin consent</h2>")
			.append("<p>Grant consent for your whole organisation, so nobody is asked to consent at their first sign-in. "
					+ "Microsoft asks you to accept the permission to <em>Sign in and read user profile</em>, then brings "
					+ "you back here.</p>")
			.append(form(session))
			.append(button("consent", "Grant admin consent", session.draft().complete()))
			.append("</form>");
		ConsentResult consent = session.consent();
		if (consent != null && consent.clientId().equals(session.draft().clientId())) {
			if (consent.granted()) {
				html.append("<p class=\"ok\" id=\"consent-result\">Admin consent was granted.</p>");
				if (!consent.sameDirectory()) {
					html.append(
							"<p class=\"warning\">Consent was granted in another directory than the Tenant ID of the draft: "
									+ "check the Directory (tenant) ID.</p>");
				}
			}
			else if (consent.problem() != null) {
				html.append("<div id=\"consent-result\">").append(problem(consent.problem())).append("</div>");
			}
		}
		return html.append("</section>").toString();
	}

	private static String step4(SetupSession session) {
		StringBuilder html = new StringBuilder("<section id=\"step-4\"><h2>4. Try it</h2>").append(
				"<p>Sign in once through the draft registration. This only shows what ioTORQ LEAN receives: it does not "
						+ "sign you in to ioTORQ LEAN and changes no account.</p>")
			.append(form(session))
			.append(button("test", "Test sign-in", session.draft().complete()))
			.append("</form>");
		TestSignInResult test = session.test();
		if (test == null) {
			return html.append("</section>").toString();
		}
		if (!session.testedOk() && test.ok()) {
			html.append(
					"<p class=\"warning\" id=\"test-stale\">The draft changed since the last test sign-in: test again.</p>");
			return html.append("</section>").toString();
		}
		html.append("<div id=\"test-result\">");
		if (!test.ok()) {
			html.append("<p class=\"failed\">The test sign-in failed.</p>").append(problem(test.problem()));
			return html.append("</div></section>").toString();
		}
		html.append("<p class=\"ok\">The test sign-in worked. ioTORQ LEAN received:</p><dl>")
			.append(fact("Name", test.name()))
			.append(fact("Email",
					(test.email() == null) ? null : test.email()
							+ (test.emailVerified() ? " (vouched for by the directory)" : " (not vouched for)")))
			.append(fact("Object ID", test.objectId()))
			.append(fact("Directory", test.directoryId()))
			.append(fact("Groups", test.groups()))
			.append(fact("LEAN account", test.account()))
			.append("</dl><h3>At this person's first real sign-in</h3><table><tr><th>Provisioning</th><th>What happens</th></tr>");
		for (TestSignInResult.Outcome outcome : test.outcomes()) {
			html.append("<tr><td><code>")
				.append(Page.escape(outcome.provisioning()))
				.append("</code></td><td>")
				.append(Page.escape(outcome.outcome()))
				.append("</td></tr>");
		}
		return html.append("</table></div></section>").toString();
	}

	private static String step5(SetupSession session, Tenant tenant) {
		SsoSettings live = tenant.sso();
		SsoSettings.Mode mode = (live != null) ? live.mode() : SsoSettings.Mode.REQUIRED;
		SsoSettings.Provisioning provisioning = (live != null) ? live.provisioning()
				: SsoSettings.Provisioning.EXISTING_ONLY;
		StringBuilder html = new StringBuilder("<section id=\"step-5\"><h2>5. Activate</h2>").append(
				"<p>Possible once a test sign-in with the current draft has worked. Activating makes the draft your "
						+ "organisation's live single sign-on settings.</p>")
			.append(form(session))
			.append("<label for=\"mode\">Mode</label><select id=\"mode\" name=\"mode\">")
			.append(option("REQUIRED", "REQUIRED: everyone signs in with Microsoft", mode.name()))
			.append(option("OPTIONAL", "OPTIONAL: Microsoft or the ioTORQ LEAN password, while you migrate",
					mode.name()))
			.append("</select><label for=\"provisioning\">Provisioning</label><select id=\"provisioning\" name=\"provisioning\">")
			.append(option("EXISTING_ONLY", "EXISTING_ONLY: only people who have a LEAN account", provisioning.name()))
			.append(option("AUTO_ACTIVATE", "AUTO_ACTIVATE: a first sign-in creates an active account",
					provisioning.name()))
			.append(option("PENDING_ACTIVATION",
					"PENDING_ACTIVATION: a first sign-in creates an account activated by email", provisioning.name()))
			.append("</select><p>")
			.append(button("activate", "Activate", session.testedOk() && session.activatedAt() == null))
			.append("</p></form>");
		if (!session.testedOk() && session.activatedAt() == null) {
			html.append(
					"<p class=\"hint\" id=\"activate-hint\">Run a successful test sign-in with the current draft first.</p>");
		}
		return html.append("</section>").toString();
	}

	private static String form(SetupSession session) {
		return "<form method=\"post\" action=\"" + GatewayPaths.SETUP + "\"><input type=\"hidden\" name=\""
				+ SetupPagesFilter.CSRF_FIELD + "\" value=\"" + Page.escape(session.csrfToken()) + "\">";
	}

	private static String button(String action, String label, boolean enabled) {
		return "<button class=\"button\" type=\"submit\" name=\"action\" value=\"" + action + "\""
				+ (enabled ? "" : " disabled") + ">" + Page.escape(label) + "</button>";
	}

	private static String option(String value, String label, String selected) {
		return "<option value=\"" + value + "\"" + (value.equals(selected) ? " selected" : "") + ">"
				+ Page.escape(label) + "</option>";
	}

	private static String fact(String label, @Nullable String value) {
		return "<dt>" + Page.escape(label) + "</dt><dd>" + Page.escape((value != null) ? value : "(not sent)")
				+ "</dd>";
	}

	private static String problem(@Nullable Explained problem) {
		if (problem == null) {
			return "";
		}
		return "<div class=\"warning problem\"><strong>" + Page.escape(problem.title()) + "</strong><p>"
				+ Page.escape(problem.detail()) + "</p><p><strong>Who must act:</strong> "
				+ Page.escape(problem.actor()) + ". " + Page.escape(problem.action())
				+ "</p><dl><dt>Error code</dt><dd>" + Page.escape(problem.code()) + "</dd>"
				+ ((problem.correlationId() != null)
						? "<dt>Correlation ID</dt><dd>" + Page.escape(problem.correlationId()) + "</dd>" : "")
				+ "</dl></div>";
	}

	static String error(Map<String, String> errors, String field) {
		String message = errors.get(field);
		return (message != null) ? "<p class=\"error\" id=\"" + field + "-error\">" + Page.escape(message) + "</p>"
				: "";
	}

	private static String copyable(String id, String value) {
		return "<code id=\"" + id + "\">" + Page.escape(value)
				+ "</code><button class=\"button copy\" type=\"button\" hidden " + "data-copy=\"" + id
				+ "\">Copy</button>";
	}

	private static String sha256(String text) {
		try {
			return Base64.getEncoder()
				.encodeToString(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
