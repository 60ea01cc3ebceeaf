/**
 * Forwarding to the LEAN backends: the backend of each organisation, its circuit breaker,
 * the headers a backend receives (trace context included), and host-only cookies.
 */
@NullMarked
package com.iotorq.lean.gateway.routing;

import org.jspecify.annotations.NullMarked;
