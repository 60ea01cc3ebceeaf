package com.iotorq.lean.gateway.account;

import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;

import com.iotorq.lean.gateway.web.ErrorCode;

/**
 * The identity provider signed the person in, but LEAN does not let them in: no account, a
 * disabled one, or one not yet activated. Raised during authentication, so no session is
 * created.
 */
public final class SignInRefusedException extends OAuth2AuthenticationException {

	private final ErrorCode reason;

	public SignInRefusedException(ErrorCode reason) {
		super(new OAuth2Error(reason.code(), reason.message(), null), reason.message());
		this.reason = reason;
	}

	public ErrorCode reason() {
		return this.reason;
	}

}
