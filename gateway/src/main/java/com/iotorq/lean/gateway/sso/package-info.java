/**
 * Single sign-on through each organisation's own identity provider: the public port's
 * Spring Security chain and the settings of SSO as a whole. Its parts live in
 * {@code provider}, {@code
 * oidc}, {@code login} and {@code pages}.
 */
@NullMarked
package com.iotorq.lean.gateway.sso;

import org.jspecify.annotations.NullMarked;
