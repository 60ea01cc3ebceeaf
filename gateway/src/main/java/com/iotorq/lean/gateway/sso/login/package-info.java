/**
 * Signing in and staying signed in: Spring Security's OAuth2 login with the gateway's
 * strategies, the account lookup, sign-in errors, auditing and limits, and the session's
 * signed-in person bound to its organisation.
 */
@NullMarked
package com.iotorq.lean.gateway.sso.login;

import org.jspecify.annotations.NullMarked;
