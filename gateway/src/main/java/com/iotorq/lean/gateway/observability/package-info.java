/**
 * What every request leaves behind for operators: the request id and organisation in the
 * logging context, the access log, request and sign-in metrics, and refusal counters.
 * Depends on no other capability.
 */
@NullMarked
package com.iotorq.lean.gateway.observability;

import org.jspecify.annotations.NullMarked;
