package com.iotorq.lean.gateway.tenant;

import java.util.List;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@link OidcOptions} as the JSON object stored in {@code sso_settings.provider_options};
 * a missing member takes its default, so options stored before a member existed still
 * read.
 */
final class OidcOptionsJson {

	private static final JsonMapper json = JsonMapper.builder().build();

	private OidcOptionsJson() {
	}

	static String write(OidcOptions options) {
		return json.writeValueAsString(options);
	}

	static OidcOptions read(String text) {
		Stored stored = json.readValue(text, Stored.class);
		OidcOptions defaults = OidcOptions.defaults();
		OidcOptions.Claims claims = (stored.claims() != null) ? stored.claims() : defaults.claims();
		return new OidcOptions((stored.scopes() != null) ? stored.scopes() : defaults.scopes(), claims,
				(stored.requireVerifiedEmail() != null) ? stored.requireVerifiedEmail() : true,
				(stored.allowedEmailDomains() != null) ? stored.allowedEmailDomains() : defaults.allowedEmailDomains());
	}

	private record Stored(@Nullable List<String> scopes, OidcOptions.@Nullable Claims claims,
			@Nullable Boolean requireVerifiedEmail, @Nullable List<String> allowedEmailDomains) {
	}

}
