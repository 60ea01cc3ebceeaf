package com.iotorq.lean.gateway.session;

import java.util.Set;

import tools.jackson.databind.DatabindContext;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.jsontype.PolymorphicTypeValidator;

/**
 * The only types a session value in Redis may name: what the gateway itself puts into a session.
 * A stored value naming any other type is refused by its name, before that class is even loaded.
 * Strings, booleans, integers and doubles carry no type name and need no entry; the JDK's own
 * lists, sets and maps ({@code java.util}) hold only values that are checked in turn.
 */
final class SessionTypes extends PolymorphicTypeValidator.Base {

	static final Set<String> ALLOWED = Set.of(
			// the signed-in user (SPRING_SECURITY_CONTEXT)
			"org.springframework.security.core.context.SecurityContextImpl",
			"org.springframework.security.oauth2.client.authentication.OAuth2AuthenticationToken",
			"com.iotorq.lean.gateway.account.LeanUser",
			"org.springframework.security.oauth2.core.oidc.OidcIdToken",
			"org.springframework.security.core.authority.SimpleGrantedAuthority",
			"org.springframework.security.core.authority.FactorGrantedAuthority",
			// sign-ins started and not yet completed (sso.PendingSignIns)
			"org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest",
			// administrator consent started (sso.AdminConsentFlow), activation mail sent (activation)
			"com.iotorq.lean.gateway.sso.AdminConsentFlow$Pending",
			"com.iotorq.lean.gateway.activation.AccountActivation$PendingAccount",
			// in claims (the issuer is a URL, some times are Dates) and attributes
			"java.lang.Long", "java.time.Instant", "java.util.Date", "java.net.URL");

	/** Also allowed: the JDK's lists, sets and maps (whatever a claim or an attribute holds). */
	private static final String COLLECTIONS_PACKAGE = "java.util";

	private static final long serialVersionUID = 1L;

	@Override
	public Validity validateSubClassName(DatabindContext context, JavaType baseType, String subClassName) {
		if (ALLOWED.contains(subClassName)) {
			return Validity.ALLOWED;
		}
		// a JDK class may be loaded to see whether it is a collection; no other class is
		return subClassName.startsWith(COLLECTIONS_PACKAGE + ".") ? Validity.INDETERMINATE : Validity.DENIED;
	}

	@Override
	public Validity validateSubType(DatabindContext context, JavaType baseType, JavaType subType) {
		Class<?> type = subType.getRawClass();
		if (ALLOWED.contains(type.getName())) {
			return Validity.ALLOWED;
		}
		boolean collection = java.util.Collection.class.isAssignableFrom(type) || java.util.Map.class.isAssignableFrom(type);
		return (collection && type.getPackageName().equals(COLLECTIONS_PACKAGE)) ? Validity.ALLOWED : Validity.DENIED;
	}

}
