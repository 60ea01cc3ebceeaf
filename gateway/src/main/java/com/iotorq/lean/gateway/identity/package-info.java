/**
 * Who the signed-in user is, told to backends: the {@code X-Lean-*} headers, the signed
 * {@code
 * X-Lean-Identity} assertion and its keys (JWKS).
 */
@NullMarked
package com.iotorq.lean.gateway.identity;

import org.jspecify.annotations.NullMarked;
