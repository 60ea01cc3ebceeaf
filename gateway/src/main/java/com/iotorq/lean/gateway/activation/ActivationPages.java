package com.iotorq.lean.gateway.activation;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
import org.springframework.web.server.ServerWebExchange;

import com.iotorq.lean.gateway.tenant.Tenant;
import com.iotorq.lean.gateway.web.ErrorCode;
import com.iotorq.lean.gateway.web.ErrorReport;
import com.iotorq.lean.gateway.web.ErrorResponses;
import com.iotorq.lean.gateway.web.GatewayPaths;
import com.iotorq.lean.gateway.web.Page;

/**
 * The pages around activation mails: where the mail went, and what to do when it could
 * not go.
 */
final class ActivationPages {

	private ActivationPages() {
	}

	/**
	 * @param maskedEmail where the mail went, partly hidden
	 * @param validity how long the link works, as words
	 * @param fromResend whether the person asked for the mail again (a refusal is then
	 * 429)
	 */
	static Mono<Void> sent(ServerWebExchange exchange, Tenant tenant, AccountActivation.Sent sent, String maskedEmail,
			String validity, Duration resendInterval, boolean fromResend) {
		return switch (sent.outcome()) {
			case SENT -> Page.titled("Activate your ioTORQ LEAN account")
				.paragraph("Your ioTORQ LEAN account in " + tenant.displayName()
						+ " must be activated before you can use it.")
				.paragraph("We sent an email with an activation link to " + maskedEmail + ".")
				.action("Open the link in that email within " + validity
						+ " and confirm, then sign in again. The link works once.")
				.postButton("Send the email again", GatewayPaths.ACCOUNT_RESEND_ACTIVATION)
				.writeTo(exchange);
			case RECENTLY_SENT -> fromResend
					? ErrorResponses.write(exchange,
							ErrorReport
								.of(ErrorCode.TOO_MANY_REQUESTS,
										"An email with an activation link was sent to " + maskedEmail + " less than "
												+ AccountActivation.words(resendInterval) + " ago.")
								.withText("Activation email sent a moment ago",
										"An email with an activation link was sent to " + maskedEmail + " less than "
												+ AccountActivation.words(resendInterval) + " ago.",
										"Check your inbox and spam folder, or wait a little before asking for another.")
								.withRetryAfter(resendInterval))
					: Page.titled("Activate your ioTORQ LEAN account")
						.paragraph("Your ioTORQ LEAN account in " + tenant.displayName() + " is not active yet.")
						.paragraph("An email with an activation link was sent to " + maskedEmail + " a moment ago.")
						.action("Open the link in that email and confirm, then sign in again.")
						.postButton("Send the email again", GatewayPaths.ACCOUNT_RESEND_ACTIVATION)
						.writeTo(exchange);
			case FAILED -> ErrorResponses.write(exchange,
					ErrorReport.of(ErrorCode.ACTIVATION_MAIL_FAILED).withLink("Sign in again", GatewayPaths.LOGIN));
		};
	}

	/**
	 * The activation link was opened by someone who signed in as another identity than
	 * the one the pending account is bound to: it stays pending.
	 */
	static Mono<Void> someoneElsesLink(ServerWebExchange exchange) {
		return ErrorResponses.write(exchange, ErrorReport.of(ErrorCode.ACTIVATION_LINK_INVALID)
			.withStatus(HttpStatus.FORBIDDEN)
			.withText("This activation link is for someone else",
					"You signed in as another person than the one this ioTORQ LEAN account was created for, so the "
							+ "account was not activated.",
					"Open the link again and sign in with the organisation account you first signed in with (sign out "
							+ "of Microsoft first if it chose an account for you). If the email was not meant for you, ignore it."));
	}

	/**
	 * One answer or the other: unlike {@code flatMap(..).switchIfEmpty(..)}, whose
	 * fallback would also run after the (empty) {@code Mono<Void>} of an answer already
	 * written.
	 */
	static <T> Mono<Void> either(Mono<T> found, Function<T, Mono<Void>> answer, Supplier<Mono<Void>> otherwise) {
		return found.map(Optional::of)
			.defaultIfEmpty(Optional.empty())
			.flatMap(value -> value.isPresent() ? answer.apply(value.get()) : otherwise.get());
	}

	static Mono<Void> invalidLink(ServerWebExchange exchange) {
		return ErrorResponses.write(exchange,
				ErrorReport.of(ErrorCode.ACTIVATION_LINK_INVALID).withLink("Sign in", GatewayPaths.LOGIN));
	}

}
