package com.iotorq.lean.gateway.account;

import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JacksonModule;
import tools.jackson.databind.module.SimpleModule;

import org.springframework.security.oauth2.core.oidc.OidcIdToken;

/**
 * {@link LeanUser} as JSON in the session store: its ID token and each of its own fields
 * by name (Spring Security's mapping of {@code DefaultOidcUser} writes the fields).
 * Authorities, user info and the name attribute are the same for every LeanUser and are
 * not stored.
 * <p>
 * A new field of LeanUser is one more parameter line here, as in LeanUser's own
 * all-fields constructor; forgetting it makes the two differ, and no stored user can be
 * read ({@code SessionJsonSerializerTests} compares every field after a round trip).
 */
public final class LeanUserJson {

	private LeanUserJson() {
	}

	/** The mapping, for a {@code JsonMapper} that also has Spring Security's modules. */
	public static JacksonModule module() {
		SimpleModule module = new SimpleModule(LeanUserJson.class.getName());
		module.setMixInAnnotation(LeanUser.class, Mixin.class);
		return module;
	}

	@JsonIgnoreProperties({ "authorities", "userInfo", "nameAttributeKey", "attributes" })
	abstract static class Mixin {

		@JsonCreator
		Mixin(@JsonProperty("idToken") OidcIdToken idToken, @JsonProperty("accountId") UUID accountId,
				@JsonProperty("tenantSlug") String tenantSlug, @JsonProperty("tenantId") @Nullable UUID tenantId,
				@JsonProperty("ssoSessionVersion") long ssoSessionVersion, @JsonProperty("email") String email,
				@JsonProperty("displayName") @Nullable String displayName,
				@JsonProperty("idpDirectoryId") String idpDirectoryId, @JsonProperty("idpObjectId") String idpObjectId,
				@JsonProperty("signedInAt") Instant signedInAt) {
		}

	}

}
