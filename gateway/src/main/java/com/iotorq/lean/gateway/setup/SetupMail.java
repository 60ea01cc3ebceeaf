package com.iotorq.lean.gateway.setup;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import reactor.core.publisher.Mono;

import com.iotorq.lean.gateway.mail.OutgoingMail;

/**
 * Words and sends the mail with a setup link to the Entra administrator LEAN support
 * named.
 */
public final class SetupMail {

	private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("d MMM yyyy HH:mm 'UTC'")
		.withZone(ZoneOffset.UTC);

	private final OutgoingMail mail;

	private final String from;

	public SetupMail(OutgoingMail mail, String from) {
		this.mail = mail;
		this.from = from;
	}

	public boolean configured() {
		return this.mail.configured();
	}

	/**
	 * @param to the administrator's address
	 * @param organisation the organisation's name
	 * @param link the setup link (carries the token: never logged)
	 * @param expiresAt when the link stops opening
	 */
	public Mono<Void> send(String to, String organisation, String link, Instant expiresAt) {
		return this.mail.send(this.from, to, "Set up single sign-on to ioTORQ LEAN for " + organisation, """
				Hello,

				LEAN support has prepared the single sign-on (SSO) setup of ioTORQ LEAN for %s. As your \
				organisation's Microsoft Entra administrator, open this link to register ioTORQ LEAN in Entra, \
				check the credentials, try a sign-in and switch SSO on:

				%s

				The link opens once, until %s. Keep it to yourself: whoever opens it can set up SSO for your \
				organisation. No secret needs to be sent to LEAN support.

				If you did not expect this email, tell LEAN support and ignore the link.

				ioTORQ LEAN
				""".formatted(organisation, link, WHEN.format(expiresAt)));
	}

}
