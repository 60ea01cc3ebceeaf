/**
 * LEAN accounts of the organisations' people: their lookup and linking at sign-in, their
 * status, and the signed-in user ({@code LeanUser}) kept in the session.
 */
@NullMarked
package com.iotorq.lean.gateway.account;

import org.jspecify.annotations.NullMarked;
