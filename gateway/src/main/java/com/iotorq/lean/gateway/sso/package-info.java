/**
 * Single sign-on through each organisation's own identity provider. This package holds
 * the settings of SSO as a whole ({@code lean.sso.*}); its parts live in
 * {@code provider}, {@code oidc}, {@code login}, {@code pages} and {@code endpoints},
 * which depend on it, never the other way round.
 */
@NullMarked
package com.iotorq.lean.gateway.sso;

import org.jspecify.annotations.NullMarked;
