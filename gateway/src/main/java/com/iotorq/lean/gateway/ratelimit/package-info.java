/**
 * Request rate limits per organisation and per client, in memory or in Redis across
 * replicas.
 */
@NullMarked
package com.iotorq.lean.gateway.ratelimit;

import org.jspecify.annotations.NullMarked;
