/**
 * Configuration shared by every capability: the public edge's settings, startup problems
 * reported without stack traces, the clock, periodic tasks and the benchmark's feature
 * switches.
 */
@NullMarked
package com.iotorq.lean.gateway.config;

import org.jspecify.annotations.NullMarked;
