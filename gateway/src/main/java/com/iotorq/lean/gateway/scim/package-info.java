/**
 * Each organisation's SCIM 2.0 endpoint, through which its directory provisions and
 * deprovisions accounts.
 */
@NullMarked
package com.iotorq.lean.gateway.scim;

import org.jspecify.annotations.NullMarked;
