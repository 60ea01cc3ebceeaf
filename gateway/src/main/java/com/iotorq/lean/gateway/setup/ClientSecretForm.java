package com.iotorq.lean.gateway.setup;

import java.time.Clock;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.util.MultiValueMap;

import com.iotorq.lean.gateway.credentials.SigningCertificate;
import com.iotorq.lean.gateway.sso.provider.IdentityProviders;
import com.iotorq.lean.gateway.tenant.SsoSettings;
import com.iotorq.lean.gateway.web.Page;

/**
 * The client secret on step 2: inputs {@code clientSecret} and
 * {@code clientSecretExpiresAt}. The secret is never shown back; a draft that has one
 * says so and keeps it unless a new one is typed.
 */
final class ClientSecretForm implements SetupCredentialForm {

	static final String SECRET = "clientSecret";

	static final String EXPIRES = "clientSecretExpiresAt";

	private final IdentityProviders providers;

	private final Clock clock;

	ClientSecretForm(IdentityProviders providers, Clock clock) {
		this.providers = providers;
		this.clock = clock;
	}

	@Override
	public String kind() {
		return "secret";
	}

	@Override
	public String label() {
		return "Use a client secret";
	}

	@Override
	public SsoSettings.CredentialType type() {
		return SsoSettings.CredentialType.CLIENT_SECRET;
	}

	@Override
	public String render(SetupSession.Draft draft, @Nullable SigningCertificate certificate,
			Map<String, String> errors) {
		String expires = (draft.clientSecretExpiresAt() != null) ? draft.clientSecretExpiresAt().toString() : "";
		return "<fieldset><legend>Client secret</legend>"
				+ "<label for=\"clientSecret\">Client secret <em>Value</em></label>"
				+ "<input id=\"clientSecret\" name=\"clientSecret\" type=\"password\" autocomplete=\"off\" spellcheck=\"false\""
				+ ((draft.clientSecret() != null)
						? " placeholder=\"A secret is entered: type a new one only to change it\"" : "")
				+ ">" + SetupPage.error(errors, SECRET)
				+ "<p class=\"hint\">Under <em>Certificates &amp; secrets</em> Microsoft shows a secret's <strong>Value</strong> "
				+ "once, right after you add it, next to its <strong>Secret ID</strong> (a GUID). Copy the Value.</p>"
				+ "<label for=\"clientSecretExpiresAt\">Secret expires on</label>"
				+ "<input id=\"clientSecretExpiresAt\" name=\"clientSecretExpiresAt\" type=\"date\" value=\""
				+ Page.escape(expires) + "\">" + SetupPage.error(errors, EXPIRES) + "</fieldset>";
	}

	@Override
	public @Nullable Entered read(MultiValueMap<String, String> form, SetupSession.Draft draft,
			@Nullable SigningCertificate certificate, Map<String, String> errors) {
		String secret = form.getFirst(SECRET);
		String expiresText = form.getFirst(EXPIRES);
		if (secret != null && secret.isEmpty()) {
			secret = null;
		}
		if (secret == null && draft.clientSecret() == null) {
			errors.put(SECRET, "Enter the client secret's Value.");
		}
		if (secret != null) {
			if (secret.length() > 1024) {
				errors.put(SECRET, "This is longer than any client secret.");
			}
			else if (!secret.equals(secret.strip())) {
				errors.put(SECRET, "It starts or ends with white space: was it copied with a line break?");
			}
			else {
				this.providers.get(draft.provider())
					.checkClientSecret(secret)
					.ifPresent(problem -> errors.put(SECRET, "This " + problem + "."));
			}
		}
		LocalDate expiresAt = null;
		if (expiresText != null && !expiresText.isBlank()) {
			try {
				expiresAt = LocalDate.parse(expiresText.strip());
				if (expiresAt.isBefore(LocalDate.now(this.clock))) {
					errors.put(EXPIRES, "This date is in the past: that secret has expired already. Create a new one.");
				}
			}
			catch (DateTimeParseException ex) {
				errors.put(EXPIRES, "Enter the date as YYYY-MM-DD.");
			}
		}
		else if (secret == null) {
			expiresAt = draft.clientSecretExpiresAt();
		}
		return errors.isEmpty() ? new Entered(secret, expiresAt) : null;
	}

}
