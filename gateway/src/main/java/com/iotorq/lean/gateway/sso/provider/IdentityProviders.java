package com.iotorq.lean.gateway.sso.provider;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.springframework.stereotype.Component;

import com.iotorq.lean.gateway.account.LinkedDirectories;
import com.iotorq.lean.gateway.tenant.SsoSettings;

/**
 * The identity providers the gateway supports, by {@link IdentityProvider#type()}.
 */
@Component
public class IdentityProviders implements LinkedDirectories {

	private final Map<String, IdentityProvider> byType;

	public IdentityProviders(List<IdentityProvider> providers) {
		this.byType = providers.stream()
			.collect(Collectors.toUnmodifiableMap(IdentityProvider::type, Function.identity()));
	}

	public Optional<IdentityProvider> find(String type) {
		return Optional.ofNullable(this.byType.get(type));
	}

	/** For settings already stored: their provider was checked when they were saved. */
	public IdentityProvider get(String type) {
		return find(type).orElseThrow(() -> new IllegalStateException("No identity provider of type " + type));
	}

	/** Every provider's own admin API fields: its directory field and its options. */
	public Set<String> fields() {
		Set<String> fields = new java.util.TreeSet<>();
		this.byType.values().forEach(provider -> {
			fields.add(provider.directoryIdField());
			fields.addAll(provider.optionFields());
		});
		return fields;
	}

	@Override
	public String linkedDirectory(SsoSettings settings) {
		return get(settings.provider()).linkedDirectory(settings);
	}

	public Set<String> types() {
		return this.byType.keySet();
	}

}
