/**
 * The admin API on the management port (organisations, SSO settings, accounts,
 * certificates, SCIM tokens, audit), with its bearer-token security.
 */
@NullMarked
package com.iotorq.lean.gateway.admin;

import org.jspecify.annotations.NullMarked;
