/**
 * The sign-in pages outside Spring Security's login flow: the sign-in chooser and the
 * administrator consent flow.
 */
@NullMarked
package com.iotorq.lean.gateway.sso.pages;

import org.jspecify.annotations.NullMarked;
