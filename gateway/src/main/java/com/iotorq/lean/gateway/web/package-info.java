/**
 * The web layer every capability shares: error codes and pages, gateway paths, the public
 * firewall, client addresses behind trusted proxies, security headers and slow-client
 * guards.
 */
@NullMarked
package com.iotorq.lean.gateway.web;

import org.jspecify.annotations.NullMarked;
