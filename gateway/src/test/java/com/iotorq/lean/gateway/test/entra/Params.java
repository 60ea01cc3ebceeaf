package com.iotorq.lean.gateway.test.entra;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The single-valued parameters of a browser request to Entra (query, then form fields,
 * which win).
 */
final class Params {

	private Params() {
	}

	/**
	 * The first value of every query and form parameter; a form field overrides a query
	 * parameter.
	 */
	static Map<String, String> of(TestEntra.Recorded request) {
		Map<String, String> params = new LinkedHashMap<>();
		request.query().forEach((name, values) -> params.put(name, first(values)));
		request.form().forEach((name, values) -> params.put(name, first(values)));
		return params;
	}

	/** A copy without these parameters. */
	static Map<String, String> without(Map<String, String> params, String... names) {
		Map<String, String> rest = new LinkedHashMap<>(params);
		for (String name : names) {
			rest.remove(name);
		}
		return rest;
	}

	private static String first(List<String> values) {
		return values.isEmpty() ? "" : values.get(0);
	}

}
