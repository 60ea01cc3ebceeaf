package com.iotorq.lean.gateway.web;

import org.springframework.http.HttpStatus;

/**
 * Every error the gateway answers by itself, with a stable code that operators can search
 * for in logs and that API clients can branch on. The texts are written for the person
 * who meets the error; {@link #action} says who can fix it and how.
 */
public enum ErrorCode {

	INVALID_HOST(HttpStatus.BAD_REQUEST, "Unrecognised address",
			"This address does not belong to an ioTORQ LEAN organisation.",
			"Check the address in your browser. Your organisation's address looks like https://your-organisation.iotorq-lean.com."),

	UNKNOWN_TENANT(HttpStatus.NOT_FOUND, "Organisation not found",
			"There is no ioTORQ LEAN organisation at this address.",
			"Check the spelling of the address, or ask your LEAN administrator for your organisation's address."),

	NOT_FOUND(HttpStatus.NOT_FOUND, "Page not found", "There is nothing at this address.",
			"Check the address, or start again from your organisation's home page."),

	BAD_REQUEST(HttpStatus.BAD_REQUEST, "Bad request", "The request could not be understood.",
			"Start again from your organisation's home page."),

	METHOD_NOT_ALLOWED(HttpStatus.METHOD_NOT_ALLOWED, "Method not allowed",
			"This address does not accept that kind of request.", "Start again from your organisation's home page."),

	REQUEST_TOO_LARGE(HttpStatus.CONTENT_TOO_LARGE, "Request too large", "The request was larger than allowed.",
			"Send a smaller request."),

	TOO_MANY_REQUESTS(HttpStatus.TOO_MANY_REQUESTS, "Too many requests",
			"Too many requests came from your address in a short time.", "Wait a moment, then try again."),

	SERVICE_UNAVAILABLE(HttpStatus.SERVICE_UNAVAILABLE, "Temporarily unavailable",
			"ioTORQ LEAN cannot answer this request right now.",
			"Try again in a minute. If this persists, contact LEAN support."),

	BACKEND_UNAVAILABLE(HttpStatus.BAD_GATEWAY, "Service unavailable",
			"The ioTORQ LEAN service behind this address did not answer.",
			"Try again in a minute. If this persists, contact LEAN support."),

	BACKEND_TIMEOUT(HttpStatus.GATEWAY_TIMEOUT, "Service too slow",
			"The ioTORQ LEAN service behind this address took too long to answer.",
			"Try again in a minute. If this persists, contact LEAN support."),

	INTERNAL_ERROR(HttpStatus.INTERNAL_SERVER_ERROR, "Something went wrong",
			"An unexpected error stopped this request.",
			"Try again. If this persists, contact LEAN support and quote the reference below."),

	UNAUTHENTICATED(HttpStatus.UNAUTHORIZED, "Sign-in required", "You need to sign in to use this.",
			"Sign in and try again."),

	FORBIDDEN(HttpStatus.FORBIDDEN, "Not allowed", "This request was refused.",
			"Start again from your organisation's home page."),

	SSO_NOT_ENABLED(HttpStatus.NOT_FOUND, "Single sign-on is not set up",
			"Your organisation does not sign in to ioTORQ LEAN through single sign-on.",
			"Go to your organisation's home page and sign in there. If your organisation expects single sign-on, contact LEAN support."),

	SSO_CERTIFICATE_MISSING(HttpStatus.SERVICE_UNAVAILABLE, "Single sign-on is not ready yet",
			"Your organisation signs in to ioTORQ LEAN with a certificate, but Microsoft has not yet confirmed any "
					+ "certificate of ioTORQ LEAN for your organisation.",
			"LEAN support must act: once your organisation's Microsoft Entra administrator has uploaded ioTORQ LEAN's "
					+ "certificate under App registrations > ioTORQ LEAN > Certificates & secrets > Certificates, "
					+ "LEAN support verifies it and sign-in works."),

	IDP_UNAVAILABLE(HttpStatus.SERVICE_UNAVAILABLE, "Sign-in service unavailable",
			"Your organisation's sign-in service did not answer in time.",
			"Try again in a minute. If this persists, contact LEAN support."),

	SIGN_IN_EXPIRED(HttpStatus.BAD_REQUEST, "Sign-in expired",
			"This sign-in link is no longer valid: it was used already, took too long, or was started in another window.",
			"Start signing in again."),

	SIGN_IN_FAILED(HttpStatus.UNAUTHORIZED, "Sign-in failed", "Your sign-in could not be completed.",
			"Try again. If this persists, contact LEAN support and quote the reference below."),

	SIGN_IN_REJECTED(HttpStatus.UNAUTHORIZED, "Sign-in could not be verified",
			"The answer from your organisation's sign-in service did not pass ioTORQ LEAN's security checks.",
			"Try again. If this persists, contact LEAN support and quote the reference below."),

	ACCOUNT_NOT_FOUND(HttpStatus.FORBIDDEN, "No ioTORQ LEAN account for you yet",
			"You signed in with your organisation, but there is no ioTORQ LEAN account for you in this organisation.",
			"Ask your organisation's LEAN administrator to create an account for you with the same email address."),

	ACCOUNT_DISABLED(HttpStatus.FORBIDDEN, "Your account is disabled",
			"Your ioTORQ LEAN account in this organisation has been disabled.",
			"If you think this is a mistake, ask your organisation's LEAN administrator."),

	ACCOUNT_PENDING(HttpStatus.FORBIDDEN, "Your account is not active yet",
			"Your ioTORQ LEAN account exists but has not been activated.",
			"Ask your organisation's LEAN administrator to activate it."),

	NOT_IN_ALLOWED_GROUP(HttpStatus.FORBIDDEN, "You are not in a group allowed to use ioTORQ LEAN",
			"Your organisation lets only members of certain groups use ioTORQ LEAN, and you are not in any of them.",
			"Ask your organisation's identity administrator to add you to a group allowed for ioTORQ LEAN."),

	GROUP_MEMBERSHIP_UNKNOWN(HttpStatus.FORBIDDEN, "Your group memberships could not be checked",
			"Your organisation lets only members of certain groups use ioTORQ LEAN, and your sign-in did not say which groups you are in.",
			"Ask your organisation's identity administrator to configure the groups claim of the ioTORQ LEAN app."),

	EMAIL_DOMAIN_NOT_ALLOWED(HttpStatus.FORBIDDEN, "Your email domain may not use ioTORQ LEAN",
			"Your organisation lets only certain email domains use ioTORQ LEAN, and yours is not one of them.",
			"Sign in with your organisation's account, or ask LEAN support to allow your domain."),

	ACTIVATION_LINK_INVALID(HttpStatus.BAD_REQUEST, "This activation link cannot be used",
			"The link was used already, has expired, or does not belong to this organisation.",
			"Sign in again: if your account is still not active, you can ask for a new link there."),

	ACTIVATION_MAIL_FAILED(HttpStatus.SERVICE_UNAVAILABLE, "The activation email could not be sent",
			"ioTORQ LEAN could not send the email with your activation link just now.",
			"Try again in a few minutes. If this persists, ask your organisation's LEAN administrator to activate your account.");

	private final HttpStatus status;

	private final String title;

	private final String message;

	private final String action;

	ErrorCode(HttpStatus status, String title, String message, String action) {
		this.status = status;
		this.title = title;
		this.message = message;
		this.action = action;
	}

	public HttpStatus status() {
		return this.status;
	}

	public String title() {
		return this.title;
	}

	public String message() {
		return this.message;
	}

	public String action() {
		return this.action;
	}

	/**
	 * The code as it appears in logs, problem types and the {@code X-Lean-Error} header.
	 */
	public String code() {
		return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
	}

}
