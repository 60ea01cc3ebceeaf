/**
 * The self-service SSO setup page ({@code /oauth/setup}) an organisation's administrator
 * opens with a one-time link, and the links themselves.
 */
@NullMarked
package com.iotorq.lean.gateway.setup;

import org.jspecify.annotations.NullMarked;
