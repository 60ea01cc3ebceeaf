/**
 * The identity provider abstraction: what differs between providers (sign-in, settings,
 * messages) behind {@code IdentityProvider}, and the standard OpenID Connect provider.
 */
@NullMarked
package com.iotorq.lean.gateway.sso.provider;

import org.jspecify.annotations.NullMarked;
