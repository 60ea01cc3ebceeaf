/**
 * The LEAN Gateway: the single sign-on edge of ioTORQ LEAN. Each sub-package owns one
 * capability; {@code pipeline} puts the public request path together.
 */
@NullMarked
package com.iotorq.lean.gateway;

import org.jspecify.annotations.NullMarked;
