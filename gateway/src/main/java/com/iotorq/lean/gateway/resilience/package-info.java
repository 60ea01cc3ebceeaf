/**
 * Circuit breakers for the gateway's remote calls (identity providers and backends), with
 * their settings and metrics.
 */
@NullMarked
package com.iotorq.lean.gateway.resilience;

import org.jspecify.annotations.NullMarked;
