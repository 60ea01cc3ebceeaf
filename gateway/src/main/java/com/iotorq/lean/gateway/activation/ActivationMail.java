package com.iotorq.lean.gateway.activation;

import reactor.core.publisher.Mono;

import com.iotorq.lean.gateway.mail.OutgoingMail;

/**
 * Words and sends activation mails.
 */
public final class ActivationMail {

	private final OutgoingMail mail;

	private final String from;

	public ActivationMail(OutgoingMail mail, String from) {
		this.mail = mail;
		this.from = from;
	}

	public boolean configured() {
		return this.mail.configured();
	}

	/**
	 * @param to the account's email
	 * @param organisation the organisation's name
	 * @param link the activation link
	 * @param validFor how long the link works, as words
	 */
	public Mono<Void> send(String to, String organisation, String link, String validFor) {
		return this.mail.send(this.from, to, "Activate your ioTORQ LEAN account for " + organisation, """
				Hello,

				an ioTORQ LEAN account for %s was created for you when you signed in with your organisation's \
				Microsoft account. Before you can use it, activate it by opening this link:

				%s

				The link works once and for %s. After activating, sign in again.

				If you did not try to sign in to ioTORQ LEAN, you can ignore this email.

				ioTORQ LEAN
				""".formatted(organisation, link, validFor));
	}

}
