/**
 * Outgoing mail over SMTP, off the event loops.
 */
@NullMarked
package com.iotorq.lean.gateway.mail;

import org.jspecify.annotations.NullMarked;
