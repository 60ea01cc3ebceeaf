package com.iotorq.lean.gateway.setup;

import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.util.MultiValueMap;

/**
 * One way of proving the app registration's identity on step 2 of the setup page (today a client
 * secret; a certificate can be a second implementation): its fieldset on the page, and reading it
 * from the submitted form.
 */
interface SetupCredentialForm {

	/** The value of the form's {@code credential} field that selects this form, e.g. {@code secret}. */
	String kind();

	/**
	 * The fieldset, escaped.
	 * @param draft what was entered so far (never shown back if secret)
	 * @param errors messages by input name
	 */
	String render(SetupSession.Draft draft, Map<String, String> errors);

	/**
	 * Reads the credential from the submitted form.
	 * @param errors collects messages by input name
	 * @return the entered credential, {@code null} when nothing was entered or it is invalid
	 */
	@Nullable Entered read(MultiValueMap<String, String> form, SetupSession.Draft draft, Map<String, String> errors);

	/**
	 * @param secret the secret value, to be sealed; {@code null} keeps the draft's
	 * @param expiresAt when it expires
	 */
	record Entered(@Nullable String secret, java.time.@Nullable LocalDate expiresAt) {
	}

}
