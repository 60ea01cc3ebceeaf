/**
 * Activation of pending accounts: the activation mail with its one-time link, and the
 * account pages ({@code /account/*}) that use it.
 */
@NullMarked
package com.iotorq.lean.gateway.activation;

import org.jspecify.annotations.NullMarked;
