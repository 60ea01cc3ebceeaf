package com.iotorq.lean.gateway.setup;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.mail.SimpleMailMessage;
import org.springframework.mail.javamail.JavaMailSender;

/**
 * Mails a setup link to the Entra administrator LEAN support named. Jakarta Mail blocks, so
 * sending runs on the bounded elastic scheduler, never on an event loop.
 */
public final class SetupMail {

	private static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);

	private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("d MMM yyyy HH:mm 'UTC'")
		.withZone(ZoneOffset.UTC);

	private final @Nullable JavaMailSender sender;

	private final String from;

	/** @param sender the configured mail sender, {@code null} when {@code spring.mail.host} is not set */
	public SetupMail(@Nullable JavaMailSender sender, String from) {
		this.sender = sender;
		this.from = from;
	}

	public boolean configured() {
		return this.sender != null;
	}

	/**
	 * @param to the administrator's address
	 * @param organisation the organisation's name
	 * @param link the setup link (carries the token: never logged)
	 * @param expiresAt when the link stops opening
	 */
	public Mono<Void> send(String to, String organisation, String link, Instant expiresAt) {
		JavaMailSender mail = this.sender;
		if (mail == null) {
			return Mono.error(new IllegalStateException("no SMTP server is configured (spring.mail.host)"));
		}
		SimpleMailMessage message = new SimpleMailMessage();
		message.setFrom(this.from);
		message.setTo(to);
		message.setSubject("Set up single sign-on to ioTORQ LEAN for " + organisation);
		message.setText("""
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
		return Mono.fromRunnable(() -> mail.send(message))
			.subscribeOn(Schedulers.boundedElastic())
			.timeout(SEND_TIMEOUT)
			.then();
	}

}
