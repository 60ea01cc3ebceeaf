package com.iotorq.lean.gateway.routing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.util.LinkedCaseInsensitiveMap;
import org.springframework.web.server.ServerWebExchange;

/**
 * The changes the gateway makes to the request headers a backend receives, collected from
 * the filters that decide them (identity, trace context) and applied once, by
 * {@link HeaderHygieneFilter}, to the copy of the headers Spring Cloud Gateway makes for
 * the backend call. Mutating the request instead cost a copy of every header per filter.
 */
public final class BackendHeaders {

	private static final String ATTRIBUTE = BackendHeaders.class.getName();

	/** Names as given; values replace whatever the client sent under the same name. */
	private final Map<String, String> values = new LinkedCaseInsensitiveMap<>(8);

	private final List<String> removed = new ArrayList<>(2);

	private BackendHeaders() {
	}

	/** The exchange's changes, started on first use. */
	public static BackendHeaders of(ServerWebExchange exchange) {
		return (BackendHeaders) exchange.getAttributes().computeIfAbsent(ATTRIBUTE, key -> new BackendHeaders());
	}

	static @Nullable BackendHeaders find(ServerWebExchange exchange) {
		return exchange.getAttribute(ATTRIBUTE);
	}

	/** Sends the header with this value only. */
	public BackendHeaders set(String name, String value) {
		this.values.put(name, value);
		return this;
	}

	/** Sends no header of this name. */
	public BackendHeaders remove(String name) {
		this.removed.add(name);
		return this;
	}

	Map<String, String> values() {
		return this.values;
	}

	/**
	 * Whether a header the client sent under this name is left out (removed, or replaced
	 * by a value of ours).
	 */
	boolean replaces(String name) {
		if (this.values.containsKey(name)) {
			return true;
		}
		for (String gone : this.removed) {
			if (gone.equalsIgnoreCase(name)) {
				return true;
			}
		}
		return false;
	}

}
