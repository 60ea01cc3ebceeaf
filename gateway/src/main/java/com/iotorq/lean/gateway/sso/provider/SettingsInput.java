package com.iotorq.lean.gateway.sso.provider;

import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * The fields of an admin API request, as a provider reads its own options from them;
 * every problem is collected with {@link #reject} and answered together.
 */
public interface SettingsInput {

	/**
	 * @return whether the field is present
	 */
	boolean has(String field);

	@Nullable String string(String field, boolean required, int min, int max);

	@Nullable Boolean bool(String field);

	@Nullable List<String> stringList(String field, int maxItems, int maxLength);

	/**
	 * An object whose members are strings; members outside {@code allowed} are rejected.
	 */
	@Nullable Map<String, String> stringMap(String field, java.util.Set<String> allowed, int maxLength);

	void reject(String field, String message);

}
