package com.iotorq.lean.gateway.setup;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * The provider's answer to the admin consent asked for the draft's app registration.
 *
 * @param at when it came back
 * @param clientId the draft client id it was asked for
 * @param granted whether consent was granted
 * @param sameDirectory whether it was granted in the draft's directory
 * @param problem why it was not granted, explained as on the sign-in error pages
 */
record ConsentResult(Instant at, String clientId, boolean granted, boolean sameDirectory, @Nullable Explained problem) {
}
