/**
 * The gateway's own endpoints on the public port ({@code /oauth/*}, {@code /account/*}):
 * which paths they are and the methods they answer, the cross-site guard in front of
 * them, and Spring Security's chain that serves them.
 */
@NullMarked
package com.iotorq.lean.gateway.sso.endpoints;

import org.jspecify.annotations.NullMarked;
