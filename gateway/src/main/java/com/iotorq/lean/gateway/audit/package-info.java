/**
 * The audit trails: changes made through the admin API, and every sign-in attempt with
 * its outcome.
 */
@NullMarked
package com.iotorq.lean.gateway.audit;

import org.jspecify.annotations.NullMarked;
