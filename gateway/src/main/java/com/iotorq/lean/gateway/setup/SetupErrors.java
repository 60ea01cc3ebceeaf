package com.iotorq.lean.gateway.setup;

import java.util.List;

import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
import org.springframework.web.server.ServerWebExchange;

import com.iotorq.lean.gateway.web.ErrorReport;
import com.iotorq.lean.gateway.web.ErrorResponses;
import com.iotorq.lean.gateway.web.GatewayPaths;
import com.iotorq.lean.gateway.web.Page;

/**
 * The pages around setup links that do not open: unknown here (404), expired, used or
 * revoked (410), and a setup session that has ended. Each says to ask LEAN support for a
 * new link.
 */
final class SetupErrors {

	private static final String ASK = "Ask LEAN support for a new setup link.";

	private SetupErrors() {
	}

	static Mono<Void> unknownLink(ServerWebExchange exchange) {
		return ErrorResponses.write(exchange, new ErrorReport(HttpStatus.NOT_FOUND, "setup-link-unknown",
				"This setup link is not valid",
				"This link does not open the single sign-on setup of this organisation: it may be mistyped, or meant for "
						+ "another organisation's address.",
				"Check that you opened the whole link from LEAN support's message. " + ASK, List.of(), null, null));
	}

	static Mono<Void> gone(ServerWebExchange exchange, SetupLinkRepository.SetupLink link) {
		String why;
		if (link.revokedAt() != null) {
			why = "LEAN support has revoked this setup link.";
		}
		else if (link.usedAt() != null) {
			why = "The single sign-on setup of this link has started in another browser: the link works only there.";
		}
		else {
			why = "This setup link has expired.";
		}
		return ErrorResponses.write(exchange, new ErrorReport(HttpStatus.GONE, "setup-link-gone",
				"This setup link can no longer be used", why, ASK, List.of(), null, null));
	}

	/**
	 * {@code certificate.cer} of a setup session whose draft has no certificate (or a
	 * retired one).
	 */
	static Mono<Void> noCertificate(ServerWebExchange exchange) {
		return ErrorResponses.write(exchange, new ErrorReport(HttpStatus.NOT_FOUND, "setup-certificate-unknown",
				"There is no certificate to download",
				"This setup has no certificate yet, or its certificate was withdrawn by LEAN support.",
				"Go back to the setup page and press Generate a certificate in step 2.", List.of(), null, null));
	}

	static Mono<Void> noSession(ServerWebExchange exchange) {
		return ErrorResponses.write(exchange, new ErrorReport(HttpStatus.FORBIDDEN, "setup-session-ended",
				"No single sign-on setup is open",
				"This browser has no open setup session here: it has ended, its link was revoked, or it was opened in "
						+ "another browser.",
				ASK, List.of(), null, null));
	}

	/**
	 * After the provider's answer: back to the page from a page of this origin. A
	 * redirect would continue the provider's cross-site navigation, on which the
	 * SameSite=Strict session cookie is not sent; a navigation this page starts is
	 * same-site.
	 */
	static Mono<Void> backToPage(ServerWebExchange exchange) {
		exchange.getResponse().getHeaders().set("Refresh", "0; url=" + GatewayPaths.SETUP);
		exchange.getResponse().getHeaders().set("Referrer-Policy", "no-referrer");
		return Page.titled("Back to the setup page")
			.paragraph("Microsoft has answered. Taking you back to the single sign-on setup page…")
			.button("Back to the setup page", GatewayPaths.SETUP)
			.writeTo(exchange);
	}

}
