/**
 * Organisations (tenants): their registry and cached directory, resolution of the
 * organisation from the host, and their SSO settings.
 */
@NullMarked
package com.iotorq.lean.gateway.tenant;

import org.jspecify.annotations.NullMarked;
