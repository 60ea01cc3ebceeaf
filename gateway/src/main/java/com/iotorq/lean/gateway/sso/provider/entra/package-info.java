/**
 * Microsoft Entra ID as one {@code IdentityProvider}: its issuer per directory, the
 * {@code tid} check, group overage and the AADSTS error table.
 */
@NullMarked
package com.iotorq.lean.gateway.sso.provider.entra;

import org.jspecify.annotations.NullMarked;
