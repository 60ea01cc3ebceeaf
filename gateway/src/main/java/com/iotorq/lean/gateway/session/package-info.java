/**
 * The session store (memory or Redis) and the session cookie, with the near cache and
 * error mapping that keep sessions cheap and failures explicit.
 */
@NullMarked
package com.iotorq.lean.gateway.session;

import org.jspecify.annotations.NullMarked;
