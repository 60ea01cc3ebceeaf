package com.iotorq.lean.gateway.sso.provider;

import java.util.Optional;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import com.iotorq.lean.gateway.tenant.OidcOptions;
import com.iotorq.lean.gateway.tenant.SsoSettings;

/**
 * What a provider's SSO settings are called in the admin API and what makes them
 * acceptable, so that the admin handler has no provider's field names of its own.
 */
public interface ProviderSettings {

	/** The name of the admin API field that carries {@link SsoSettings#directoryId()}. */
	String directoryIdField();

	/**
	 * @return what is wrong with a directory id, or empty when it is acceptable
	 */
	Optional<String> checkDirectoryId(String directoryId);

	/**
	 * @return what is wrong with a client id, or empty when it is acceptable
	 */
	Optional<String> checkClientId(String clientId);

	/**
	 * @return what is wrong with a client secret, or empty when it looks acceptable; used
	 * to catch secrets copied from the wrong place
	 */
	Optional<String> checkClientSecret(String clientSecret);

	/**
	 * @return what is wrong with a group id of the allow-list, or empty when it is
	 * acceptable
	 */
	Optional<String> checkGroupId(String groupId);

	/**
	 * Whether the organisation may authenticate with a certificate
	 * ({@code credentialType} {@code certificate}) instead of a client secret.
	 */
	boolean acceptsCertificateCredentials();

	/** The admin API fields of this provider's own options, beyond the shared ones. */
	Set<String> optionFields();

	/**
	 * Reads this provider's own options.
	 * @param input the admin API's request body
	 * @param current the options stored so far, which omitted fields keep
	 * @return the options, or {@code null} for a provider without options
	 */
	@Nullable OidcOptions readOptions(SettingsInput input, @Nullable OidcOptions current);

}
