/**
 * Bringing an organisation's SSO to life and keeping it alive: credential verification
 * against the identity provider, and reminders before secrets and certificates expire.
 */
@NullMarked
package com.iotorq.lean.gateway.onboarding;

import org.jspecify.annotations.NullMarked;
