package com.iotorq.lean.gateway.credentials;

import com.iotorq.lean.gateway.web.ErrorCode;
import com.iotorq.lean.gateway.web.ErrorReport;
import com.iotorq.lean.gateway.web.GatewayException;

/**
 * An organisation signs in with a certificate but none is ACTIVE yet (none was generated,
 * or the customer has not uploaded it and nobody verified it): sign-in cannot start, and
 * the page says who must act. A PENDING certificate is never used instead.
 */
public final class NoSigningCertificateException extends GatewayException {

	public NoSigningCertificateException() {
		super(ErrorCode.SSO_CERTIFICATE_MISSING, null, null);
	}

	@Override
	public ErrorReport report() {
		return super.report().withFact("fixedBy", "Who can fix this", "LEAN support");
	}

}
