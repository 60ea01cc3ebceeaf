package com.iotorq.lean.gateway.activation;

/**
 * Shows an email address only partly, e.g. {@code a***e@acme.example}: enough for its
 * owner to recognise the mailbox, little for anyone looking over their shoulder.
 */
final class EmailMask {

	private EmailMask() {
	}

	static String mask(String email) {
		int at = email.lastIndexOf('@');
		if (at <= 0) {
			return "***";
		}
		String local = email.substring(0, at);
		String masked = (local.length() <= 2) ? local.charAt(0) + "***"
				: local.charAt(0) + "***" + local.charAt(local.length() - 1);
		return masked + email.substring(at);
	}

}
