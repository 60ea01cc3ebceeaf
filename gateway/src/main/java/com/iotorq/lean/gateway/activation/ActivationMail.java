package com.iotorq.lean.gateway.activation;

import java.time.Duration;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.mail.SimpleMailMessage;
import org.springframework.mail.javamail.JavaMailSender;

/**
 * Sends activation mails over SMTP (Spring Boot's {@code spring.mail.*}). Jakarta Mail blocks,
 * so sending runs on the bounded elastic scheduler, never on an event loop.
 */
public final class ActivationMail {

	private static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);

	private final @Nullable JavaMailSender sender;

	private final String from;

	/** @param sender the configured mail sender, {@code null} when {@code spring.mail.host} is not set */
	public ActivationMail(@Nullable JavaMailSender sender, String from) {
		this.sender = sender;
		this.from = from;
	}

	public boolean configured() {
		return this.sender != null;
	}

	/**
	 * @param to the account's email
	 * @param organisation the organisation's name
	 * @param link the activation link
	 * @param validFor how long the link works, as words
	 */
	public Mono<Void> send(String to, String organisation, String link, String validFor) {
		JavaMailSender mail = this.sender;
		if (mail == null) {
			return Mono.error(new IllegalStateException("no SMTP server is configured (spring.mail.host)"));
		}
		SimpleMailMessage message = new SimpleMailMessage();
		message.setFrom(this.from);
		message.setTo(to);
		message.setSubject("Activate your ioTORQ LEAN account for " + organisation);
		message.setText("""
				Hello,

				an ioTORQ LEAN account for %s was created for you when you signed in with your organisation's \
				Microsoft account. Before you can use it, activate it by opening this link:

				%s

				The link works once and for %s. After activating, sign in again.

				If you did not try to sign in to ioTORQ LEAN, you can ignore this email.

				ioTORQ LEAN
				""".formatted(organisation, link, validFor));
		return Mono.fromRunnable(() -> mail.send(message))
			.subscribeOn(Schedulers.boundedElastic())
			.timeout(SEND_TIMEOUT)
			.then();
	}

}
