package com.iotorq.lean.gateway.sso.login;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.iotorq.lean.gateway.tenant.Tenant;
import com.iotorq.lean.gateway.web.ErrorReport;

/**
 * What a person sees when sign-in fails, and the line operators get in the log, as the
 * failure's classification ({@link SignInFailure}) says. Texts from the identity provider
 * are never shown: only codes extracted and checked by the provider.
 */
public final class SignInErrors {

	private static final Logger logger = LoggerFactory.getLogger(SignInErrors.class);

	public ErrorReport report(@Nullable Tenant tenant, SignInFailure failure) {
		failure.log(logger, (tenant != null) ? tenant.slug() : "-");
		return failure.page();
	}

}
