/**
 * Encryption of stored secrets (AES-256-GCM, bound to their owner), with key rotation.
 */
@NullMarked
package com.iotorq.lean.gateway.secrets;

import org.jspecify.annotations.NullMarked;
