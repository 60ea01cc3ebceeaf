/**
 * Organisations' sign-in credentials towards their identity provider: signing
 * certificates, their expiry, and the client assertions of {@code private_key_jwt}.
 */
@NullMarked
package com.iotorq.lean.gateway.credentials;

import org.jspecify.annotations.NullMarked;
