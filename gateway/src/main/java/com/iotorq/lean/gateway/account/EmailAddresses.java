package com.iotorq.lean.gateway.account;

import java.text.Normalizer;
import java.util.Locale;

/**
 * The one form in which LEAN stores and compares email addresses: Unicode NFC, lower
 * case. Two spellings of one address ({@code Ä} as one code point or as {@code A} plus a
 * combining diaeresis, {@code ADA@} or {@code ada@}) are the same account; the migration
 * {@code V21__account_links.sql} brought older rows into this form.
 */
public final class EmailAddresses {

	private EmailAddresses() {
	}

	/**
	 * NFC, then lower case by the root locale (never the JVM's), then NFC again as
	 * lower-casing can decompose.
	 */
	public static String normalize(String email) {
		String composed = Normalizer.normalize(email.strip(), Normalizer.Form.NFC);
		return Normalizer.normalize(composed.toLowerCase(Locale.ROOT), Normalizer.Form.NFC);
	}

}
