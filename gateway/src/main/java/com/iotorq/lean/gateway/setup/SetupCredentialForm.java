package com.iotorq.lean.gateway.setup;

import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.util.MultiValueMap;

import com.iotorq.lean.gateway.credentials.SigningCertificate;
import com.iotorq.lean.gateway.tenant.SsoSettings;

/**
 * One way of proving the app registration's identity on step 2 of the setup page (a
 * client secret, {@link ClientSecretForm}; a certificate, {@link CertificateForm}): its
 * fieldset on the page, and reading it from the submitted form.
 */
interface SetupCredentialForm {

	/**
	 * The value of the form's {@code credential} field that selects this form, e.g.
	 * {@code secret}.
	 */
	String kind();

	/** What the choice between the forms calls it, e.g. "Use a client secret". */
	String label();

	/** The credential type a draft verified with this form uses. */
	SsoSettings.CredentialType type();

	/**
	 * The fieldset, escaped.
	 * @param draft what was entered so far (never shown back if secret)
	 * @param certificate the draft's certificate, if it has one
	 * @param errors messages by input name
	 */
	String render(SetupSession.Draft draft, @Nullable SigningCertificate certificate, Map<String, String> errors);

	/**
	 * Reads the credential from the submitted form.
	 * @param certificate the draft's certificate, if it has one
	 * @param errors collects messages by input name
	 * @return the entered credential, {@code null} when nothing was entered or it is
	 * invalid
	 */
	@Nullable Entered read(MultiValueMap<String, String> form, SetupSession.Draft draft, @Nullable SigningCertificate certificate,
			Map<String, String> errors);

	/**
	 * @param secret the secret value, to be sealed; {@code null} keeps the draft's
	 * @param expiresAt when it expires
	 */
	record Entered(@Nullable String secret, java.time.@Nullable LocalDate expiresAt) {
	}

}
