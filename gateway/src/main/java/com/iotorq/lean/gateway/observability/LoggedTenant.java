package com.iotorq.lean.gateway.observability;

/**
 * The organisation a request is for, as logs and metrics name it. The organisation the
 * request was resolved to is one, kept under {@link RequestContext#TENANT_ATTRIBUTE}; so
 * this package needs nothing of the package that resolves it.
 */
public interface LoggedTenant {

	/** The organisation's slug, the {@code tenant} of log lines and metrics. */
	String slug();

}
