package com.iotorq.lean.gateway.mail;

import java.time.Duration;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.mail.SimpleMailMessage;
import org.springframework.mail.javamail.JavaMailSender;

/**
 * Sends the gateway's plain-text mails over SMTP (Spring Boot's {@code spring.mail.*}).
 * Jakarta Mail blocks, so sending runs on the bounded elastic scheduler, never on an
 * event loop.
 */
public final class OutgoingMail {

	private static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);

	private final @Nullable JavaMailSender sender;

	/**
	 * @param sender the configured mail sender, {@code null} when
	 * {@code spring.mail.host} is not set
	 */
	public OutgoingMail(@Nullable JavaMailSender sender) {
		this.sender = sender;
	}

	/** Whether an SMTP server is configured; without one, {@link #send} fails. */
	public boolean configured() {
		return this.sender != null;
	}

	/** Sends one message; completes once the SMTP server has taken it. */
	public Mono<Void> send(String from, String to, String subject, String text) {
		JavaMailSender mail = this.sender;
		if (mail == null) {
			return Mono.error(new IllegalStateException("no SMTP server is configured (spring.mail.host)"));
		}
		SimpleMailMessage message = new SimpleMailMessage();
		message.setFrom(from);
		message.setTo(to);
		message.setSubject(subject);
		message.setText(text);
		return Mono.fromRunnable(() -> mail.send(message))
			.subscribeOn(Schedulers.boundedElastic())
			.timeout(SEND_TIMEOUT)
			.then();
	}

}
