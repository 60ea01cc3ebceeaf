/**
 * The OpenID Connect protocol side of signing in: the bounded HTTP client for identity
 * providers, discovery documents, signing keys, ID token validation, client registrations
 * and the pending authorization requests.
 */
@NullMarked
package com.iotorq.lean.gateway.sso.oidc;

import org.jspecify.annotations.NullMarked;
