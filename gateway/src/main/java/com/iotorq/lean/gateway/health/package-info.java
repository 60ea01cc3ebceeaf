/**
 * Health and readiness of the gateway's dependencies (database, Redis, tenant change
 * notifications), as metrics and health indicators.
 */
@NullMarked
package com.iotorq.lean.gateway.health;

import org.jspecify.annotations.NullMarked;
