/**
 * The public port's request pipeline: the ordered steps every public request goes
 * through, and the gateway's own endpoints put together from the capabilities.
 */
@NullMarked
package com.iotorq.lean.gateway.pipeline;

import org.jspecify.annotations.NullMarked;
