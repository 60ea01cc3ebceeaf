package com.iotorq.lean.gateway.session;

import java.util.Set;

import tools.jackson.databind.DatabindContext;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.jsontype.PolymorphicTypeValidator;

/**
 * The only types a session value in Redis may name: what the gateway itself puts into a
 * session. A stored value naming any other type is refused by its name, before that class
 * is even loaded. Strings, booleans, integers and doubles carry no type name and need no
 * entry; the lists, sets and maps are named one by one too (their values are checked in
 * turn): a name is looked at before its class is loaded, and loading a class runs its
 * static initializer, which for some JDK classes
 * ({@code java.util.prefs.FileSystemPreferences}) starts threads and loads native code.
 */
final class SessionTypes extends PolymorphicTypeValidator.Base {

	static final Set<String> ALLOWED = Set.of(
			// the signed-in user (SPRING_SECURITY_CONTEXT)
			"org.springframework.security.core.context.SecurityContextImpl",
			"org.springframework.security.oauth2.client.authentication.OAuth2AuthenticationToken",
			"com.iotorq.lean.gateway.account.LeanUser", "org.springframework.security.oauth2.core.oidc.OidcIdToken",
			"org.springframework.security.core.authority.SimpleGrantedAuthority",
			"org.springframework.security.core.authority.FactorGrantedAuthority",
			// sign-ins started and not yet completed (sso.PendingSignIns); the grant and
			// response
			// types are named in it too, though Spring Security's deserializer reads only
			// their values
			"org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest",
			"org.springframework.security.oauth2.core.AuthorizationGrantType",
			"org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationResponseType",
			// administrator consent started (sso.AdminConsentFlow), activation mail sent
			// (activation)
			"com.iotorq.lean.gateway.sso.pages.AdminConsentFlow$Pending",
			"com.iotorq.lean.gateway.activation.AccountActivation$PendingAccount",
			// in claims (the issuer is a URL, some times are Dates) and attributes
			"java.lang.Long", "java.time.Instant", "java.util.Date", "java.net.URL",
			// the lists, sets and maps in claims, scopes and attributes: what Spring
			// Security's
			// mappings accept, and what a real sign-in stores
			// (SessionStoreJsonIntegrationTests)
			"java.util.ArrayList", "java.util.Arrays$ArrayList", "java.util.Collections$EmptyList",
			"java.util.Collections$SingletonList", "java.util.Collections$UnmodifiableRandomAccessList",
			"java.util.HashSet", "java.util.LinkedHashSet", "java.util.Collections$UnmodifiableSet",
			"java.util.HashMap", "java.util.LinkedHashMap", "java.util.TreeMap", "java.util.Collections$EmptyMap",
			"java.util.Collections$UnmodifiableMap",
			// List.of(...), as code (and SessionJsonSerializerTests) builds claims
			"java.util.ImmutableCollections$List12", "java.util.ImmutableCollections$ListN");

	private static final long serialVersionUID = 1L;

	@Override
	public Validity validateSubClassName(DatabindContext context, JavaType baseType, String subClassName) {
		// decided by the name alone: no class outside the list is ever loaded
		return ALLOWED.contains(subClassName) ? Validity.ALLOWED : Validity.DENIED;
	}

	@Override
	public Validity validateSubType(DatabindContext context, JavaType baseType, JavaType subType) {
		return ALLOWED.contains(subType.getRawClass().getName()) ? Validity.ALLOWED : Validity.DENIED;
	}

}
